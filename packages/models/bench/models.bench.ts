/**
 * @heart/models against scikit-learn (Debian's python3-sklearn) at 242, 30,300 and 300,000 rows
 * (the Cleveland reference split's training rows; Cleveland replicated, preprocessed as the
 * Python pipeline does), interleaved: 3 pairs of (heart in-process, then one /usr/bin/python3
 * timing its own fits on the same matrices, start-up excluded). LR: heart's default solver
 * against lbfgs with one BLAS thread and with OpenBLAS's default; RF (100 trees): nJobs 1 and 2
 * against n_jobs 1 and 2. Each pair also runs a fresh Node process per size for the first LR fit
 * against a warm one. Then the design card's libraries, once.
 * Run: pnpm --filter @heart/models bench     (pnpm bench runs every benchmark, one at a time)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type BenchRow,
  checkSklearn,
  compare,
  pairedRows,
  printRows,
  runPairs,
  runPythonJson,
  type Sample,
  spread,
  timeMs,
  writeBenchResults,
} from '@heart/test-support';
import { LogisticRegression, RandomForest, terminateWorkers } from '../src/index.js';
import { measureCardLibraries } from './card-libraries.js';
import { benchData, writeMatrix } from './datasets.js';

const PAIRS = 3;
const SIZES = ['242', '30300', '300000'] as const;
/** Timed runs per pair of each figure, the same on both sides (after a warm-up at 242 rows). */
const REPEATS: Record<string, number> = {
  lr_fit_242: 11,
  lr_fit_30300: 5,
  lr_fit_300000: 3,
  rf_fit_242: 5,
  rf_fit_30300: 1,
  rf_fit_300000: 1,
  rf500_fit: 3,
  lr_predict_1: 3,
  rf_predict_1: 3,
  lr_predict_1000: 11,
  rf_predict_1000: 11,
};
/** One-row predictions per timed run (scikit-learn's per-call overhead is ~1,000× ours). */
const CALLS = { heart: 20_000, lr_predict_1: 2000, rf_predict_1: 200 };
const ROWS = { '242': '242 × 28', '30300': '30,300 rows', '300000': '300,000 rows' };

const { x, y, mid, big } = await benchData();
const dense = { '242': undefined, '30300': mid, '300000': big };
const one = [x[0]!];
const thousand = Array.from({ length: 1000 }, (_, i) => x[i % x.length]!);
const lr = new LogisticRegression({ maxIter: 1000 }).fit(x, y);
const rf = new RandomForest({ nEstimators: 100, seed: 42 }).fit(x, y);

/** The median of `repeats` timed runs; the large sizes run warm from the small ones. */
function time(size: string, key: string, fn: () => unknown): number {
  if (size === '242') return timeMs(REPEATS[key]!, fn);
  const runs = Array.from({ length: REPEATS[key]! }, () => {
    const started = performance.now();
    fn();
    return performance.now() - started;
  });
  return spread(runs).median;
}

function heartFits(sample: Sample): void {
  for (const size of SIZES) {
    const set = dense[size];
    const features = set ? set.dense : x;
    const labels = set ? set.labels : y;
    sample[`lr_fit_${size}`] = time(size, `lr_fit_${size}`, () =>
      new LogisticRegression({ maxIter: 1000 }).fit(features, labels),
    );
    for (const nJobs of [1, 2]) {
      sample[`rf_fit_${size}_j${nJobs}`] = time(size, `rf_fit_${size}`, () =>
        new RandomForest({ nEstimators: 100, seed: 42, nJobs }).fit(features, labels),
      );
    }
  }
}

/** The first LR fit of a fresh Node process, and a warm one, per size (one child each). */
function firstFits(sample: Sample, folder: string): void {
  const script = resolve(import.meta.dirname, 'first-fit.ts');
  for (const size of SIZES) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', script, folder, size, '28'], {
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`first-fit.ts failed: ${child.stderr}`);
    const { first, warm, steady } = JSON.parse(child.stdout.trim().split('\n').pop()!);
    sample[`lr_first_${size}`] = first;
    sample[`lr_warm_${size}`] = warm;
    sample[`lr_steady_${size}`] = steady;
  }
}

function heart(folder: string): Sample {
  const sample: Sample = {};
  heartFits(sample);
  firstFits(sample, folder);
  sample.rf500_fit = timeMs(REPEATS.rf500_fit!, () =>
    new RandomForest({ nEstimators: 500, seed: 42 }).fit(x, y),
  );
  const perCall = (key: string, model: { predictProba(rows: number[][]): unknown }) =>
    timeMs(REPEATS[key]!, () => {
      for (let call = 0; call < CALLS.heart; call++) model.predictProba(one);
    }) / CALLS.heart;
  sample.lr_predict_1 = perCall('lr_predict_1', lr);
  sample.rf_predict_1 = perCall('rf_predict_1', rf);
  sample.lr_predict_1000 = timeMs(REPEATS.lr_predict_1000!, () => lr.predictProba(thousand));
  sample.rf_predict_1000 = timeMs(REPEATS.rf_predict_1000!, () => rf.predictProba(thousand));
  return sample;
}

const FIGURES = [
  ...SIZES.flatMap((size) => [
    { key: `lr_fit_${size}`, figure: `LR fit, ${ROWS[size]}`, unit: 'ms' },
    { key: `rf_fit_${size}_j1`, figure: `RF fit, 100 trees, ${ROWS[size]}, nJobs 1`, unit: 'ms' },
    { key: `rf_fit_${size}_j2`, figure: `RF fit, 100 trees, ${ROWS[size]}, nJobs 2`, unit: 'ms' },
  ]),
  { key: 'rf500_fit', figure: 'RF fit, 500 trees, 242 rows', unit: 'ms' },
  { key: 'lr_predict_1', figure: 'LR predictProba, 1 row', unit: 'ms' },
  { key: 'rf_predict_1', figure: 'RF predictProba, 1 row', unit: 'ms' },
  { key: 'lr_predict_1000', figure: 'LR predictProba, 1,000 rows', unit: 'ms' },
  { key: 'rf_predict_1000', figure: 'RF predictProba, 1,000 rows', unit: 'ms' },
];

const sklearn = checkSklearn();
const notes = 'missing' in sklearn ? [sklearn.missing] : [];
const work = mkdtempSync(join(tmpdir(), 'heart-models-bench-'));
const coefficients: Record<string, { lbfgs: number[]; exact: number[] }>[] = [];
try {
  writeMatrix(work, '242', {
    dense: { data: new Float64Array(x.flat()), rows: x.length, columns: 28 },
    labels: new Uint8Array(y),
  });
  writeMatrix(work, '30300', mid);
  writeMatrix(work, '300000', big);
  const spec = JSON.stringify({ columns: 28, repeats: REPEATS, calls: CALLS });
  const script = resolve(import.meta.dirname, 'models_sklearn.py');
  const baseline =
    'version' in sklearn
      ? () => {
          const { coefficients: fitted, ...sample } = runPythonJson(script, {
            args: [work, spec],
          }) as Sample & { coefficients: (typeof coefficients)[number] };
          coefficients.push(fitted);
          return sample as Sample;
        }
      : undefined;
  console.log(`@heart/models vs scikit-learn, ${PAIRS} pairs`);
  const samples = await runPairs({ pairs: PAIRS, heart: () => heart(work), baseline });
  const name = 'version' in sklearn ? `scikit-learn ${sklearn.version}` : 'scikit-learn';
  const rows: BenchRow[] = [...pairedRows(samples, FIGURES, name), ...extraRows(samples, name)];
  notes.push(...coefficientNotes(coefficients[0]));
  for (const note of notes) console.log(note);
  writeBenchResults('models', [...rows, ...(await cardRows(samples.heart))], notes);
} finally {
  rmSync(work, { recursive: true, force: true });
  await terminateWorkers();
}

/**
 * LR against lbfgs on OpenBLAS's default threads; the first fit against fits 2–8 and against fits
 * 11–20; growth with rows.
 */
function extraRows(samples: { heart: Sample[]; baseline: Sample[] }, name: string): BenchRow[] {
  const column = (side: Sample[], key: string) => side.map((sample) => sample[key]!);
  const base = (key: string) =>
    samples.baseline.length > 0 ? column(samples.baseline, key) : undefined;
  const rows = [
    ...SIZES.map((size) =>
      compare({
        figure: `LR fit, ${ROWS[size]}, vs lbfgs with OpenBLAS's default threads`,
        unit: 'ms',
        baseline: name,
        heart: column(samples.heart, `lr_fit_${size}`),
        base: base(`lr_fit_${size}_blas`),
      }),
    ),
    ...SIZES.map((size) =>
      compare({
        figure: `LR first fit of a fresh process, ${ROWS[size]}`,
        unit: 'ms',
        baseline: 'a warm fit, same process',
        heart: column(samples.heart, `lr_first_${size}`),
        base: column(samples.heart, `lr_warm_${size}`),
      }),
    ),
    ...SIZES.map((size) =>
      compare({
        figure: `LR first fit of a fresh process, ${ROWS[size]}, vs the steady state`,
        unit: 'ms',
        baseline: 'fits 11–20, same process',
        heart: column(samples.heart, `lr_first_${size}`),
        base: column(samples.heart, `lr_steady_${size}`),
      }),
    ),
    ...growthRows(samples, name),
  ];
  printRows(rows);
  return rows;
}

/** How each side's time grows from 30,300 to 300,000 rows (9.9× the rows). */
function growthRows(samples: { heart: Sample[]; baseline: Sample[] }, name: string): BenchRow[] {
  const growth = (side: Sample[], key: string) =>
    side.map(
      (sample) => sample[key.replace('SIZE', '300000')]! / sample[key.replace('SIZE', '30300')]!,
    );
  return ['lr_fit_SIZE', 'rf_fit_SIZE_j1', 'rf_fit_SIZE_j2'].map((key) =>
    compare({
      figure: `${key.startsWith('lr') ? 'LR' : `RF nJobs ${key.at(-1)}`} time growth, 30,300 → 300,000 rows`,
      unit: '×',
      baseline: name,
      heart: growth(samples.heart, key),
      base: samples.baseline.length > 0 ? growth(samples.baseline, key) : undefined,
    }),
  );
}

/** How far heart's coefficients are from scikit-learn's exact optimum and from its lbfgs. */
function coefficientNotes(fitted: (typeof coefficients)[number] | undefined): string[] {
  if (!fitted) return [];
  return Object.entries(fitted).map(([size, { lbfgs, exact }]) => {
    const set = size === '30300' ? mid : big;
    const model = new LogisticRegression({ maxIter: 1000 }).fit(set.dense, set.labels);
    const ours = [...model.coefficients, model.intercept];
    const relative = (a: number[], b: number[]) =>
      Math.max(...a.map((value, j) => Math.abs(value - b[j]!) / Math.abs(b[j]!)));
    return `LR ${size} rows: max relative coefficient difference to scikit-learn's exact optimum (newton-cholesky, tol 1e-12) ${relative(ours, exact).toExponential(1)}; lbfgs's own distance to it ${relative(lbfgs, exact).toExponential(1)} (its tol stops it short along the one-hot columns' flat directions)`;
  });
}

async function cardRows(heartSamples: Sample[]) {
  console.log('\ndesign card libraries, defaults, one fit each (seconds)');
  const card = await measureCardLibraries(x, y);
  const column = (key: string) => heartSamples.map((sample) => sample[key]!);
  const rows = [
    compare({
      figure: 'LR fit, 242 × 28, vs card',
      unit: 'ms',
      baseline: 'ml-logistic-regression',
      heart: column('lr_fit_242'),
      base: [card.lrFitMs],
      note: 'baseline fitted once',
    }),
    compare({
      figure: 'RF fit, 100 trees, vs card',
      unit: 'ms',
      baseline: 'ml-random-forest',
      heart: column('rf_fit_242_j1'),
      base: [card.rfFitMs],
      note: 'baseline fitted once',
    }),
  ];
  printRows(rows);
  notes.push(
    `rf100 JSON ${(JSON.stringify(rf).length / 1024).toFixed(1)} KiB (${rf.fitInfo.nodes} nodes)`,
  );
  notes.push(`ml-random-forest JSON ${card.rfJsonKiB.toFixed(1)} KiB`);
  return rows;
}
