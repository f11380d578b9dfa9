/**
 * Times the whole `train` process (built, data cached, file store in a temp folder): wall time and
 * peak RSS of 10 runs after a warm-up, against the Python pipeline it replaces. That pipeline
 * (scikit-learn + MLflow for Python, same two runs, plots and model logging) cannot run on this
 * machine, so its figures are quoted from the issue (median of 10 runs, bytecode cached), not
 * measured: the ratios compare each heart run with that one figure.
 * Run: pnpm --filter @heart/train-app bench     (pnpm bench runs every benchmark, one at a time)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compare, printRows, runPairs, UCI_DIR, writeBenchResults } from '@heart/test-support';

const RUNS = 10;
const PYTHON = { seconds: 2.7, peakMiB: 203 };
const QUOTED = 'Python pipeline, quoted';
const TIME = '/usr/bin/time';
const main = resolve(import.meta.dirname, '../dist/main.js');

if (!existsSync(main)) {
  console.error(`build first: ${main} is missing (pnpm turbo run build)`);
  process.exit(1);
}
const work = mkdtempSync(join(tmpdir(), 'heart-train-bench-'));
const args = [main, '--data-url', UCI_DIR, '--data-dir', join(work, 'raw')];
args.push('--tracking-uri', join(work, 'mlruns'), '--output', join(work, 'models'));
const measuresMemory = existsSync(TIME);

function once(): { seconds: number; peakMiB?: number } {
  const started = process.hrtime.bigint();
  const result = measuresMemory
    ? spawnSync(TIME, ['-f', 'HEART_MAXRSS_KB=%M', process.execPath, ...args], { encoding: 'utf8' })
    : spawnSync(process.execPath, args, { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`train failed:\n${result.stderr}`);
  const rss = /HEART_MAXRSS_KB=(\d+)/.exec(result.stderr ?? '')?.[1];
  return rss === undefined ? { seconds } : { seconds, peakMiB: Number(rss) / 1024 };
}

try {
  console.log(`heart train, ${RUNS} runs after a warm-up (it fills the data cache), vs ${QUOTED}`);
  const { heart } = await runPairs({ pairs: RUNS, heart: once });
  const rows = [
    compare({
      figure: 'train, whole process',
      unit: 's',
      baseline: QUOTED,
      heart: heart.map((run) => run.seconds!),
      base: [PYTHON.seconds],
      note: 'baseline quoted, not measured (target ≤ 0.33×)',
    }),
  ];
  if (measuresMemory)
    rows.push(
      compare({
        figure: 'train, peak RSS',
        unit: 'MiB',
        baseline: QUOTED,
        heart: heart.map((run) => run.peakMiB!),
        base: [PYTHON.peakMiB],
        note: 'baseline quoted, not measured',
      }),
    );
  printRows(rows);
  const notes = measuresMemory
    ? []
    : [`peak RSS not measured: ${TIME} is missing (apt-get install -y time)`];
  writeBenchResults('train', rows, notes);
} finally {
  rmSync(work, { recursive: true, force: true });
}
