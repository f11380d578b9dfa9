/**
 * @heart/models against scikit-learn (Debian's python3-sklearn, one core, n_jobs=1) on the
 * Cleveland reference split (242 × 28 after preprocessing) and a 100× replicated set (30,300
 * rows), interleaved: 5 pairs of (heart in-process, then one /usr/bin/python3 timing its own fits
 * on the same matrices, start-up excluded). Then the design card's libraries, once.
 * Run: pnpm --filter @heart/models bench     (pnpm bench runs every benchmark, one at a time)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadDataset } from '@heart/data';
import { createHeartPreprocessor } from '@heart/preprocessing';
import {
  checkSklearn,
  compare,
  fixturePath,
  pairedRows,
  printRows,
  runPairs,
  runPythonJson,
  type Sample,
  timeMs,
  writeBenchResults,
} from '@heart/test-support';
import { LogisticRegression, RandomForest } from '../src/index.js';
import { measureCardLibraries } from './card-libraries.js';

const PAIRS = 5;
/** Timed runs per pair of each figure (after one warm-up), the same on both sides. */
const REPEATS = {
  lr_fit: 11,
  rf100_fit: 5,
  rf500_fit: 3,
  lr_fit_30300: 3,
  rf100_fit_30300: 1,
  lr_predict_1: 3,
  rf_predict_1: 3,
  lr_predict_1000: 11,
  rf_predict_1000: 11,
};
/** One-row predictions per timed run (scikit-learn's per-call overhead is ~1,000× ours). */
const CALLS = { heart: 20_000, lr_predict_1: 2000, rf_predict_1: 200 };
const FIGURES = [
  { key: 'lr_fit', figure: 'LR fit, 242 × 28', unit: 'ms' },
  { key: 'rf100_fit', figure: 'RF fit, 100 trees, 242 rows', unit: 'ms' },
  { key: 'rf500_fit', figure: 'RF fit, 500 trees, 242 rows', unit: 'ms' },
  { key: 'lr_fit_30300', figure: 'LR fit, 30,300 rows', unit: 'ms' },
  { key: 'rf100_fit_30300', figure: 'RF fit, 100 trees, 30,300 rows', unit: 'ms' },
  { key: 'lr_predict_1', figure: 'LR predictProba, 1 row', unit: 'ms' },
  { key: 'rf_predict_1', figure: 'RF predictProba, 1 row', unit: 'ms' },
  { key: 'lr_predict_1000', figure: 'LR predictProba, 1,000 rows', unit: 'ms' },
  { key: 'rf_predict_1000', figure: 'RF predictProba, 1,000 rows', unit: 'ms' },
];

const reference = JSON.parse(readFileSync(fixturePath('reference/sklearn-baseline.json'), 'utf8'));
const { rows } = await loadDataset(fixturePath('data/uci-heart-disease/processed.cleveland.data'));
const train = (reference.split.train_index as number[]).map((i) => rows[i]!);
const x = createHeartPreprocessor()
  .fit(train)
  .transform(train)
  .map((row) => Array.from(row));
const y = train.map((row) => row.target);
const replicated = Array.from({ length: 100 }, () => rows).flat();
const xBig = createHeartPreprocessor()
  .fit(replicated)
  .transform(replicated)
  .map((row) => Array.from(row));
const yBig = replicated.map((row) => row.target);

const lr = new LogisticRegression({ maxIter: 1000 }).fit(x, y);
const rf = new RandomForest({ nEstimators: 100, seed: 42 }).fit(x, y);
const one = [x[0]!];
const thousand = Array.from({ length: 1000 }, (_, i) => x[i % x.length]!);
const perCall = (key: keyof typeof REPEATS, model: { predictProba(rows: number[][]): unknown }) =>
  timeMs(REPEATS[key], () => {
    for (let call = 0; call < CALLS.heart; call++) model.predictProba(one);
  }) / CALLS.heart;

function heart(): Sample {
  const fitLr = (features: number[][], labels: number[]) =>
    new LogisticRegression({ maxIter: 1000 }).fit(features, labels);
  const fitRf = (trees: number, features: number[][], labels: number[]) =>
    new RandomForest({ nEstimators: trees, seed: 42 }).fit(features, labels);
  return {
    lr_fit: timeMs(REPEATS.lr_fit, () => fitLr(x, y)),
    rf100_fit: timeMs(REPEATS.rf100_fit, () => fitRf(100, x, y)),
    rf500_fit: timeMs(REPEATS.rf500_fit, () => fitRf(500, x, y)),
    lr_fit_30300: timeMs(REPEATS.lr_fit_30300, () => fitLr(xBig, yBig)),
    rf100_fit_30300: timeMs(REPEATS.rf100_fit_30300, () => fitRf(100, xBig, yBig)),
    lr_predict_1: perCall('lr_predict_1', lr),
    rf_predict_1: perCall('rf_predict_1', rf),
    lr_predict_1000: timeMs(REPEATS.lr_predict_1000, () => lr.predictProba(thousand)),
    rf_predict_1000: timeMs(REPEATS.rf_predict_1000, () => rf.predictProba(thousand)),
  };
}

/** The same matrices for scikit-learn, as raw float64 / uint8 files. */
function writeMatrices(folder: string): void {
  writeFileSync(join(folder, 'x.f64'), new Float64Array(x.flat()));
  writeFileSync(join(folder, 'y.u8'), new Uint8Array(y));
  writeFileSync(join(folder, 'x_big.f64'), new Float64Array(xBig.flat()));
  writeFileSync(join(folder, 'y_big.u8'), new Uint8Array(yBig));
}

const sklearn = checkSklearn();
const notes = 'missing' in sklearn ? [sklearn.missing] : [];
const work = mkdtempSync(join(tmpdir(), 'heart-models-bench-'));
try {
  writeMatrices(work);
  const spec = JSON.stringify({ columns: x[0]!.length, repeats: REPEATS, calls: CALLS });
  const script = resolve(import.meta.dirname, 'models_sklearn.py');
  const baseline =
    'version' in sklearn
      ? () => runPythonJson(script, { args: [work, spec] }) as Sample
      : undefined;
  console.log(`@heart/models vs scikit-learn (1 core), ${PAIRS} pairs`);
  for (const note of notes) console.log(note);
  const samples = await runPairs({ pairs: PAIRS, heart, baseline });
  const name = 'version' in sklearn ? `scikit-learn ${sklearn.version}` : 'scikit-learn';
  const paired = pairedRows(samples, FIGURES, name);
  const card = await cardRows(samples.heart);
  const rfKiB = JSON.stringify(rf).length / 1024;
  notes.push(`rf100 JSON ${rfKiB.toFixed(1)} KiB (${rf.fitInfo.nodes} nodes)`);
  notes.push(`ml-random-forest JSON ${card.rfJsonKiB.toFixed(1)} KiB`);
  for (const note of notes.slice(-2)) console.log(note);
  writeBenchResults('models', [...paired, ...card.rows], notes);
} finally {
  rmSync(work, { recursive: true, force: true });
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
      heart: column('lr_fit'),
      base: [card.lrFitMs],
      note: 'baseline fitted once',
    }),
    compare({
      figure: 'RF fit, 100 trees, vs card',
      unit: 'ms',
      baseline: 'ml-random-forest',
      heart: column('rf100_fit'),
      base: [card.rfFitMs],
      note: 'baseline fitted once',
    }),
  ];
  printRows(rows);
  return { rows, rfJsonKiB: card.rfJsonKiB };
}
