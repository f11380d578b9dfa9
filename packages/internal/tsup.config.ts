import { defineConfig } from 'tsup';

export default defineConfig({
  // proxy-fetch is its own entry: only the packages that fetch bundle it (and its undici import).
  entry: ['src/index.ts', 'src/proxy-fetch.ts'],
  format: ['esm'],
  target: 'node20',
  // Loaded by the library that bundles this package, from its own dependencies.
  external: ['undici'],
  dts: true,
  clean: true,
  sourcemap: false,
});
