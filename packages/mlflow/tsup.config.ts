import { defineConfig } from 'tsup';

export default defineConfig({
  // The library, and the `heart-mlflow` command (package.json `bin`).
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm'],
  target: 'node20',
  // @heart/internal is private: its code and types are bundled in, never a dependency.
  noExternal: ['@heart/internal'],
  // Types for the library only; the command has none to offer.
  dts: { resolve: ['@heart/internal'], entry: 'src/index.ts' },
  clean: true,
  sourcemap: false,
});
