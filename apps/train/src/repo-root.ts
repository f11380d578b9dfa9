import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The folder relative paths resolve against: `HEART_ROOT` if set, else the nearest folder above
 * `start` holding `pnpm-workspace.yaml` (turbo runs this app inside `apps/train`, but `./mlruns`,
 * `data/` and `models/` belong at the repository root), else `start`.
 */
export function findRepoRoot(start = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  if (env.HEART_ROOT) return resolve(start, env.HEART_ROOT);
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) return resolve(start);
  }
}
