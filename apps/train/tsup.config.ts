import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

/**
 * @heart/tuning's worker thread, built into dist/search-worker.js beside main.js: the bundled
 * search starts its workers from the file next to itself (`new URL('./search-worker.js', …)`).
 */
const SEARCH_WORKER = join(
  dirname(createRequire(import.meta.url).resolve('@heart/tuning/package.json')),
  'dist',
  'search-worker.js',
);

/** Bundled CommonJS dependencies (undici, some of vega's) expect require, __filename, __dirname. */
const COMMONJS_SHIMS = [
  "import { createRequire as __heartCreateRequire } from 'node:module';",
  "import { fileURLToPath as __heartFileURLToPath } from 'node:url';",
  'const require = __heartCreateRequire(import.meta.url);',
  'const __filename = __heartFileURLToPath(import.meta.url);',
  "const __dirname = __heartFileURLToPath(new globalThis.URL('.', import.meta.url));",
].join(' ');

const shared: Options = {
  format: ['esm'],
  target: 'node20',
  dts: false,
  sourcemap: false,
  // Everything is bundled but resvg's native addon: one file loads in a fraction of the time the
  // package graph takes, and start-up counts in a job that takes under a second.
  external: ['@resvg/resvg-js'],
  noExternal: [/^(?!@resvg\/resvg-js)/],
  banner: { js: COMMONJS_SHIMS },
};

export default defineConfig([
  { ...shared, entry: ['src/main.ts'], clean: true },
  // The chart worker loads vega and vega-lite while the main thread trains.
  { ...shared, entry: ['src/plots-worker.ts'], clean: false },
  { ...shared, entry: { 'search-worker': SEARCH_WORKER }, clean: false },
]);
