import { findRepoRoot as findRoot } from '@heart/internal';

/**
 * The folder relative paths resolve against: `HEART_ROOT` if set, else the repository root above
 * `start` (turbo runs this app inside `apps/train`, but `./mlruns`, `data/` and `models/` belong
 * at the root), else `start`.
 */
export function findRepoRoot(start = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  return findRoot(start, env.HEART_ROOT);
}
