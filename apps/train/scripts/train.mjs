#!/usr/bin/env node
// `pnpm turbo run train [-- options]`: builds what train needs, then runs it with the options.
// turbo folds a run's pass-through options into the hash of every task in it, builds included, so
// the train task depends on no build task (new options must not rebuild the libraries); this
// script runs the build itself — one turbo call, cached, silent unless it fails — and then train.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const app = resolve(import.meta.dirname, '..');
const local = join(app, '..', '..', 'node_modules', '.bin', 'turbo');
const build = spawnSync(
  existsSync(local) ? local : 'turbo',
  ['run', 'build', '--filter=@heart/train-app', '--output-logs=errors-only'],
  { cwd: app, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
);
if (build.status !== 0) {
  process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}`);
  process.stderr.write(
    `heart-train: building the libraries failed (${build.error?.message ?? `exit ${build.status}`})\n`,
  );
  process.exit(build.status || 1);
}
await import('../dist/main.js');
