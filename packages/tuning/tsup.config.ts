import { defineConfig } from 'tsup';

export default defineConfig({
  // The search's worker thread is an entry of its own: dist/search-worker.js, beside index.js.
  entry: { index: 'src/index.ts', 'search-worker': 'src/internal/search-worker.ts' },
  format: ['esm'],
  target: 'node20',
  // @heart/internal is private: its code and types are bundled in, never a dependency.
  noExternal: ['@heart/internal'],
  dts: { entry: { index: 'src/index.ts' }, resolve: ['@heart/internal'] },
  clean: true,
  sourcemap: false,
});
