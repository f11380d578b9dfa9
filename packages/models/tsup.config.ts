import { defineConfig } from 'tsup';

export default defineConfig({
  // The forest's worker thread is an entry of its own: dist/forest-worker.js, beside index.js.
  entry: { index: 'src/index.ts', 'forest-worker': 'src/internal/forest-worker.ts' },
  format: ['esm'],
  target: 'node20',
  // @heart/internal is private: its code and types are bundled in, never a dependency.
  noExternal: ['@heart/internal'],
  dts: { entry: { index: 'src/index.ts' }, resolve: ['@heart/internal'] },
  clean: true,
  sourcemap: false,
});
