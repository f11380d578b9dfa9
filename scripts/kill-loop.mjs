#!/usr/bin/env node
// Kills `pnpm turbo run train` (the built CLI, file store in a temp folder) with SIGKILL at
// seeded random moments and at targeted ones (after each stage it reports), then checks what a
// kill may never leave: a store MLflow's reader rules refuse (inspectFileStore) or a models/
// folder that is not one whole set (it must load as one pipeline, or not exist yet). Bounded:
// 30 random kills plus the targeted ones, then one train that must succeed in what they left.
// Run: node scripts/kill-loop.mjs [kills]   (after pnpm turbo run build)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const main = join(root, 'apps', 'train', 'dist', 'main.js');
const { inspectFileStore } = await import(join(root, 'packages', 'mlflow', 'dist', 'index.js'));
const { loadPipelineDir } = await import(join(root, 'packages', 'pipeline', 'dist', 'index.js'));
const uci = join(root, 'packages', 'test-support', 'fixtures', 'data', 'uci-heart-disease');
if (!existsSync(main)) {
  console.error(`build first: ${main} is missing (pnpm turbo run build)`);
  process.exit(1);
}

const kills = Number(process.argv[2] ?? 30);
const work = mkdtempSync(join(tmpdir(), 'heart-kill-loop-'));
const dirs = { mlruns: join(work, 'mlruns'), models: join(work, 'models'), raw: join(work, 'raw') };
const args = [
  main,
  ...['--data-url', uci, '--data-dir', dirs.raw],
  ...['--tracking-uri', dirs.mlruns, '--output', dirs.models],
];
let state = 20261201;
const random = () => {
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
  return state / 4294967296;
};

/** Runs train; kills it after `ms`, or when its output matches `stage`; resolves when it is gone. */
function train({ ms, stage }) {
  return new Promise((done) => {
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH, HEART_ROOT: work },
    });
    let output = '';
    const kill = () => child.kill('SIGKILL');
    const timer = ms === undefined ? undefined : setTimeout(kill, ms);
    const watch = (chunk) => {
      output += chunk;
      if (stage && output.includes(stage)) kill();
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, output });
    });
  });
}

/** What a kill left: problems, or none. */
async function check() {
  const problems = [];
  if (existsSync(dirs.mlruns)) {
    const report = await inspectFileStore(dirs.mlruns);
    for (const problem of report.problems)
      problems.push(`${problem.severity}: ${problem.path}: ${problem.message}`);
  }
  if (
    existsSync(join(dirs.models, 'best_model.json')) ||
    existsSync(join(dirs.models, 'current'))
  ) {
    await loadPipelineDir(dirs.models).catch((error) => problems.push(`models/: ${error.message}`));
  }
  return problems;
}

const started = performance.now();
const first = await train({});
if (first.code !== 0) throw new Error(`a plain train failed:\n${first.output}`);
// Random kills spread over how long a (cached) train takes on this machine.
const duration = Math.round(performance.now() - started);
console.log(`a train takes ${duration} ms here; killing at random moments within it`);
const plan = [
  ...Array.from({ length: kills }, () => ({ ms: Math.floor(random() * duration) })),
  ...[
    '✓ data',
    '✓ split',
    '✓ random-forest',
    '✓ logistic-regression',
    '✓ charts',
    '✓ register',
  ].map((stage) => ({ stage })),
];
let failures = 0;
for (const [index, kill] of plan.entries()) {
  const result = await train(kill);
  const problems = await check();
  const what = kill.stage ? `after "${kill.stage}"` : `at ${kill.ms} ms`;
  const outcome = result.signal === 'SIGKILL' ? 'killed' : `exited ${result.code} first`;
  console.log(
    `${String(index + 1).padStart(2)}. ${what.padEnd(28)} ${outcome.padEnd(16)} ${problems.length === 0 ? 'ok' : 'PROBLEMS'}`,
  );
  for (const problem of problems) console.log(`    ${problem}`);
  if (problems.length > 0) failures++;
}
const last = await train({});
const lastProblems = await check();
console.log(
  `final train: exit ${last.code}; ${lastProblems.length === 0 ? 'store and models/ whole' : lastProblems.join('; ')}`,
);
rmSync(work, { recursive: true, force: true });
const ok = failures === 0 && last.code === 0 && lastProblems.length === 0;
console.log(
  `${plan.length} kills, ${failures} left a problem; ${ok ? 'every kill left a readable store and one whole models/' : 'FAILED'}`,
);
process.exit(ok ? 0 : 1);
