/**
 * @heart/models side by side with scikit-learn (Debian's python3-sklearn, single core) and with
 * the design card's libraries (ml-logistic-regression, ml-random-forest), in one run, on the
 * Cleveland reference split (242 × 28 after preprocessing) and a 100× replicated set (30,300 rows).
 * Run: pnpm --filter @heart/models bench      (HEART_BENCH_SKIP_CARD=1 skips the slow card libraries)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadDataset } from '@heart/data';
import { createHeartPreprocessor } from '@heart/preprocessing';
import { fixturePath } from '@heart/test-support';
import { Matrix } from 'ml-matrix';
import { LogisticRegression, RandomForest } from '../src/index.js';

const baseline = JSON.parse(readFileSync(fixturePath('reference/sklearn-baseline.json'), 'utf8'));
const { rows } = await loadDataset(fixturePath('data/uci-heart-disease/processed.cleveland.data'));
const train = (baseline.split.train_index as number[]).map((i) => rows[i]!);
const preprocessor = createHeartPreprocessor().fit(train);
const x = preprocessor.transform(train).map((row) => Array.from(row));
const y = train.map((row) => row.target);
const replicatedRows = Array.from({ length: 100 }, () => rows).flat();
const bigPre = createHeartPreprocessor().fit(replicatedRows);
const xBig = bigPre.transform(replicatedRows).map((row) => Array.from(row));
const yBig = replicatedRows.map((row) => row.target);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}
/** Median wall time in ms of `repeats` runs after one warm-up. */
function time(repeats: number, fn: () => unknown): number {
  fn();
  const runs: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    fn();
    runs.push(performance.now() - start);
  }
  return median(runs);
}

const ours: Record<string, number> = {};
ours.lr_fit = time(31, () => new LogisticRegression({ maxIter: 1000 }).fit(x, y));
ours.rf100_fit = time(15, () => new RandomForest({ nEstimators: 100, seed: 42 }).fit(x, y));
ours.rf500_fit = time(7, () => new RandomForest({ nEstimators: 500, seed: 42 }).fit(x, y));
ours.lr_fit_30300 = time(7, () => new LogisticRegression({ maxIter: 1000 }).fit(xBig, yBig));
ours.rf100_fit_30300 = time(5, () =>
  new RandomForest({ nEstimators: 100, seed: 42 }).fit(xBig, yBig),
);

const lr = new LogisticRegression({ maxIter: 1000 }).fit(x, y);
const rf = new RandomForest({ nEstimators: 100, seed: 42 }).fit(x, y);
const one = x[0]!;
const thousand = Array.from({ length: 1000 }, (_, i) => x[i % x.length]!);
const perCall = (model: { predictProba(rows: number[][]): Float64Array }) => {
  const calls = 20_000;
  return (
    time(5, () => {
      for (let i = 0; i < calls; i++) model.predictProba([one]);
    }) / calls
  );
};
ours.lr_predict_1 = perCall(lr);
ours.rf_predict_1 = perCall(rf);
ours.lr_predict_1000 = time(31, () => lr.predictProba(thousand));
ours.rf_predict_1000 = time(31, () => rf.predictProba(thousand));
const rfJsonKiB = JSON.stringify(rf).length / 1024;

console.log('@heart/models (ms, median)');
for (const [name, ms] of Object.entries(ours))
  console.log(`  ${name.padEnd(18)} ${ms < 0.1 ? ms.toFixed(5) : ms.toFixed(2)}`);
console.log(`  rf100 JSON size    ${rfJsonKiB.toFixed(1)} KiB, ${rf.fitInfo.nodes} nodes`);
console.log(
  `  growth rf100 242 → 30,300 rows (×125): time ×${(ours.rf100_fit_30300! / ours.rf100_fit!).toFixed(1)}`,
);

// scikit-learn, same matrices, n_jobs=1.
const python = process.env.HEART_BENCH_PYTHON ?? '/usr/bin/python3';
const script = `
import json, sys, time
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier
d = json.load(sys.stdin)
X, y, Xb, yb = np.array(d['x']), np.array(d['y']), np.array(d['xBig']), np.array(d['yBig'])
def med(n, fn):
    fn(); t = []
    for _ in range(n):
        a = time.perf_counter(); fn(); t.append((time.perf_counter() - a) * 1000)
    return sorted(t)[len(t) // 2]
r = {}
r['lr_fit'] = med(31, lambda: LogisticRegression(max_iter=1000).fit(X, y))
r['rf100_fit'] = med(15, lambda: RandomForestClassifier(n_estimators=100, random_state=42, n_jobs=1).fit(X, y))
r['rf500_fit'] = med(7, lambda: RandomForestClassifier(n_estimators=500, random_state=42, n_jobs=1).fit(X, y))
r['lr_fit_30300'] = med(7, lambda: LogisticRegression(max_iter=1000).fit(Xb, yb))
r['rf100_fit_30300'] = med(5, lambda: RandomForestClassifier(n_estimators=100, random_state=42, n_jobs=1).fit(Xb, yb))
lr = LogisticRegression(max_iter=1000).fit(X, y)
rf = RandomForestClassifier(n_estimators=100, random_state=42, n_jobs=1).fit(X, y)
one, thousand = X[:1], X[np.arange(1000) % len(X)]
r['lr_predict_1'] = med(5, lambda: [lr.predict_proba(one) for _ in range(2000)]) / 2000
r['rf_predict_1'] = med(5, lambda: [rf.predict_proba(one) for _ in range(200)]) / 200
r['lr_predict_1000'] = med(31, lambda: lr.predict_proba(thousand))
r['rf_predict_1000'] = med(31, lambda: rf.predict_proba(thousand))
print(json.dumps(r))
`;
let sklearn: Record<string, number> | undefined;
try {
  const out = execFileSync(python, ['-c', script], {
    input: JSON.stringify({ x, y, xBig, yBig }),
    maxBuffer: 1 << 24,
  });
  sklearn = JSON.parse(out.toString());
} catch (error) {
  console.log(
    `\nscikit-learn baseline skipped: ${python} with sklearn is not available (${(error as Error).message.split('\n')[0]}); apt-get install python3-sklearn`,
  );
}
if (sklearn) {
  console.log(
    '\nscikit-learn 1 core (ms, median) and ratio ours / sklearn (≤ 1.0 = we are faster)',
  );
  for (const [name, ms] of Object.entries(sklearn)) {
    console.log(
      `  ${name.padEnd(18)} ${ms < 0.1 ? ms.toFixed(5) : ms.toFixed(2)}   ratio ${(ours[name]! / ms).toFixed(3)}×`,
    );
  }
}

if (process.env.HEART_BENCH_SKIP_CARD) {
  console.log('\ncard libraries skipped (HEART_BENCH_SKIP_CARD)');
} else {
  // The design card's libraries, with their defaults: one run each (they take seconds).
  const { default: MlLogisticRegression } = await import('ml-logistic-regression');
  const { RandomForestClassifier: MlRandomForest } = await import('ml-random-forest');
  let start = performance.now();
  const mlLr = new MlLogisticRegression();
  mlLr.train(new Matrix(x), Matrix.columnVector(y));
  const mlLrMs = performance.now() - start;
  start = performance.now();
  const mlRf = new MlRandomForest({ nEstimators: 100, seed: 42, noOOB: true });
  mlRf.train(x, y);
  const mlRfMs = performance.now() - start;
  const mlRfKiB = JSON.stringify(mlRf.toJSON()).length / 1024;
  console.log('\ncard libraries, defaults, one run (ms) and ratio ours / theirs');
  console.log(
    `  ml-logistic-regression fit  ${mlLrMs.toFixed(0)}   ratio ${(ours.lr_fit! / mlLrMs).toFixed(5)}×`,
  );
  console.log(
    `  ml-random-forest fit (100)  ${mlRfMs.toFixed(0)}   ratio ${(ours.rf100_fit! / mlRfMs).toFixed(5)}×`,
  );
  console.log(
    `  ml-random-forest JSON       ${mlRfKiB.toFixed(1)} KiB (ours ${rfJsonKiB.toFixed(1)} KiB)`,
  );
  console.log(
    '  500 trees and 30,300 rows: not run for the card libraries (O(features·n²) split search: hours)',
  );
}
