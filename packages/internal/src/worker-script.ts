import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A package's worker entry point, and how a worker must load it. */
export interface WorkerScript {
  /** dist/`name`.js beside the built bundle, or src's `name`.ts when running from source. */
  url: URL;
  /** Its path, for a message. */
  path: string;
  /** False when the file is missing (a bundler inlined the package without copying it). */
  exists: boolean;
  /**
   * tsx's ESM API (a file URL) when running from source (vitest, tsx): a worker must register it
   * before importing `url`, as Node 20 workers ignore an `--import` loader for their entry point.
   */
  tsx: string | undefined;
}

/**
 * The worker script `name` beside the module at `here` (the caller's `import.meta.url`).
 *
 * @example
 * const script = workerScript(import.meta.url, 'forest-worker'); // …/dist/forest-worker.js
 */
export function workerScript(here: string, name: string): WorkerScript {
  const fromSource = here.endsWith('.ts');
  const url = new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, here);
  const path = fileURLToPath(url);
  const exists = existsSync(path);
  if (!fromSource || !exists) return { url, path, exists, tsx: undefined };
  // Resolved from the caller's package: tsx is its dev dependency.
  const api = createRequire(here)
    .resolve('tsx/esm/api')
    .replace(/index\.cjs$/, 'index.mjs');
  return { url, path, exists, tsx: pathToFileURL(api).href };
}
