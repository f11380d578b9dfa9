import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node20',
  // @heart/internal is private: its code and types are bundled in, never a dependency.
  noExternal: ['@heart/internal'],
  dts: { resolve: ['@heart/internal'] },
  clean: true,
  sourcemap: false,
});
