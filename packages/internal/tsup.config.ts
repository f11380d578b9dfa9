import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node20',
  // Loaded by the library that bundles this package, from its own dependencies.
  external: ['undici'],
  dts: true,
  clean: true,
  sourcemap: false,
});
