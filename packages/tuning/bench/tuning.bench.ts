/**
 * @heart/tuning against scikit-learn's GridSearchCV(n_jobs=2): a 24-candidate random-forest grid
 * (n_estimators × max_depth × min_samples_leaf) × 5-fold CV (StratifiedKFold(5, shuffle=True,
 * random_state=42): the same folds both sides) on Cleveland (303 × 28 after preprocessing) and
 * on Cleveland × 100 (30,300 rows), interleaved: 2 pairs of (heart in-process, then one
 * /usr/bin/python3 running both searches). Wall time of the whole search, refit of the best
 * included; worker start-up included on both sides (loky's processes, heart's threads).
 * Run: pnpm --filter @heart/tuning bench     (pnpm bench runs every benchmark, one at a time)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadDataset } from '@heart/data';
import { RandomForest } from '@heart/models';
import { createHeartPreprocessor, stratifiedKFold } from '@heart/preprocessing';
import {
  checkSklearn,
  compare,
  fixturePath,
  pairedRows,
  printRows,
  runPairs,
  runPythonJson,
  type Sample,
  writeBenchResults,
} from '@heart/test-support';
import { gridSearch } from '../src/index.js';

const PAIRS = 2;
const JOBS = 2;
const GRID = { nEstimators: [50, 100], maxDepth: [null, 8, 4], minSamplesLeaf: [1, 2, 4, 8] };
const SKLEARN_GRID = {
  n_estimators: [50, 100],
  max_depth: [null, 8, 4],
  min_samples_leaf: [1, 2, 4, 8],
};

const { rows } = await loadDataset(fixturePath('data/uci-heart-disease/processed.cleveland.data'));
function matrix(records: typeof rows) {
  const features = createHeartPreprocessor().fitTransform(records);
  const columns = features[0]!.length;
  const data = new Float64Array(records.length * columns);
  features.forEach((row, i) => {
    data.set(row, i * columns);
  });
  const labels = records.map((row) => row.target);
  const folds = stratifiedKFold({ labels, folds: 5, seed: 42, method: 'sklearn' });
  return { dense: { data, rows: records.length, columns }, labels, folds };
}
const sets = {
  cleveland: matrix(rows),
  '30300': matrix(Array.from({ length: 100 }, () => rows).flat()),
};

async function heart(): Promise<Sample> {
  const sample: Sample = {};
  for (const [name, set] of Object.entries(sets)) {
    const started = performance.now();
    const search = await gridSearch({
      estimator: new RandomForest({ seed: 42 }),
      grid: GRID,
      features: set.dense,
      labels: set.labels,
      cv: set.folds,
      nJobs: JOBS,
    });
    sample[`grid_${name}`] = performance.now() - started;
    sample[`best_${name}`] = search.bestScore;
  }
  return sample;
}

const sklearn = checkSklearn();
const notes = 'missing' in sklearn ? [sklearn.missing] : [];
const work = mkdtempSync(join(tmpdir(), 'heart-tuning-bench-'));
try {
  for (const [name, set] of Object.entries(sets)) {
    writeFileSync(join(work, `x_${name}.f64`), set.dense.data);
    writeFileSync(join(work, `y_${name}.u8`), new Uint8Array(set.labels));
    writeFileSync(join(work, `folds_${name}.json`), JSON.stringify(set.folds));
  }
  const spec = JSON.stringify({
    columns: 28,
    sets: Object.keys(sets),
    grid: SKLEARN_GRID,
    n_jobs: JOBS,
  });
  const script = resolve(import.meta.dirname, 'tuning_sklearn.py');
  const baseline =
    'version' in sklearn
      ? () => runPythonJson(script, { args: [work, spec] }) as Sample
      : undefined;
  console.log(
    `@heart/tuning vs GridSearchCV (n_jobs=${JOBS}), 24 candidates × 5 folds, ${PAIRS} pairs`,
  );
  const samples = await runPairs({ pairs: PAIRS, heart, baseline, warmUp: false });
  const name = 'version' in sklearn ? `scikit-learn ${sklearn.version}` : 'scikit-learn';
  const rows = pairedRows(
    samples,
    [
      {
        key: 'grid_cleveland',
        figure: 'grid search, 24 × 5-fold, Cleveland (nJobs 2)',
        unit: 'ms',
      },
      { key: 'grid_30300', figure: 'grid search, 24 × 5-fold, 30,300 rows (nJobs 2)', unit: 'ms' },
    ],
    name,
  );
  const scores = Object.keys(sets).map((set) =>
    compare({
      figure: `best CV ROC AUC, ${set}`,
      unit: 'AUC',
      baseline: name,
      heart: samples.heart.map((sample) => sample[`best_${set}`]!),
      base: samples.baseline.map((sample) => sample[`best_${set}`]!),
    }),
  );
  printRows(scores);
  for (const row of scores) {
    const gap = row.base ? row.heart.median - row.base.median : Number.NaN;
    notes.push(
      `${row.figure}: heart ${row.heart.median.toFixed(4)}, baseline ${row.base?.median.toFixed(4)} (difference ${gap.toFixed(4)})`,
    );
  }
  for (const note of notes) console.log(note);
  writeBenchResults('tuning', [...rows, ...scores], notes);
} finally {
  rmSync(work, { recursive: true, force: true });
}
