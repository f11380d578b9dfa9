import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The folder relative paths resolve against: `root` if given (an app passes `HEART_ROOT`), else
 * the nearest folder above `start` holding `pnpm-workspace.yaml` (turbo runs each app inside its
 * own folder, but `./mlruns`, `data/` and `models/` belong at the repository root), else `start`.
 */
export function findRepoRoot(start: string, root?: string): string {
  if (root) return resolve(start, root);
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) return resolve(start);
  }
}
