/**
 * rocAuc on 1,000,000 scores, side by side with scikit-learn's roc_auc_score in the same run
 * (Debian's python3-sklearn at /usr/bin/python3, skipped with a message when absent).
 * Run: pnpm --filter @heart/metrics bench
 */
import { execFileSync } from 'node:child_process';
import { averagePrecision, rocAuc } from '../src/index.js';

const N = 1_000_000;
const REPEATS = 7;

// A seeded LCG so both sides see the same data; scores rounded to 3 decimals to force ties.
let state = 12345;
const next = () => {
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
  return state / 4294967296;
};
const labels = new Uint8Array(N);
const scores = new Float64Array(N);
for (let i = 0; i < N; i++) {
  labels[i] = next() < 0.4 ? 1 : 0;
  scores[i] = Math.round((labels[i] ? 0.3 : 0) * 1000 + next() * 700) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

function time(fn: () => number): { ms: number; value: number } {
  fn();
  const runs: number[] = [];
  let value = 0;
  for (let r = 0; r < REPEATS; r++) {
    const start = performance.now();
    value = fn();
    runs.push(performance.now() - start);
  }
  return { ms: median(runs), value };
}

const ours = time(() => rocAuc(labels, scores));
const oursAp = time(() => averagePrecision(labels, scores));
console.log(
  `@heart/metrics rocAuc            n=${N}: ${ours.ms.toFixed(1)} ms (median of ${REPEATS}), auc=${ours.value}`,
);
console.log(
  `@heart/metrics averagePrecision  n=${N}: ${oursAp.ms.toFixed(1)} ms, ap=${oursAp.value}`,
);

const python = process.env.HEART_BENCH_PYTHON ?? '/usr/bin/python3';
const script = `
import sys, time, numpy as np
from sklearn.metrics import roc_auc_score, average_precision_score
raw = sys.stdin.buffer.read()
n = ${N}
y = np.frombuffer(raw[:n], dtype=np.uint8)
s = np.frombuffer(raw[n:], dtype=np.float64)
def med(fn):
    fn(); t = []
    for _ in range(${REPEATS}):
        a = time.perf_counter(); v = fn(); t.append((time.perf_counter() - a) * 1000)
    return sorted(t)[len(t)//2], v
ms, v = med(lambda: roc_auc_score(y, s))
ms2, v2 = med(lambda: average_precision_score(y, s))
print(ms, v, ms2, v2)
`;
try {
  const input = Buffer.concat([Buffer.from(labels.buffer), Buffer.from(scores.buffer)]);
  const out = execFileSync(python, ['-c', script], { input, maxBuffer: 1 << 20 })
    .toString()
    .trim()
    .split(' ');
  const [ms, auc, ms2, ap] = out.map(Number) as [number, number, number, number];
  console.log(`scikit-learn roc_auc_score       n=${N}: ${ms.toFixed(1)} ms, auc=${auc}`);
  console.log(`scikit-learn average_precision   n=${N}: ${ms2.toFixed(1)} ms, ap=${ap}`);
  console.log(
    `ratio rocAuc / sklearn: ${(ours.ms / ms).toFixed(2)}×   averagePrecision / sklearn: ${(oursAp.ms / ms2).toFixed(2)}×`,
  );
  console.log(
    `|auc difference| = ${Math.abs(auc - ours.value).toExponential(2)}, |ap difference| = ${Math.abs(ap - oursAp.value).toExponential(2)}`,
  );
} catch (error) {
  console.log(
    `scikit-learn baseline skipped: ${python} with sklearn is not available (${(error as Error).message.split('\n')[0]}); apt-get install python3-sklearn`,
  );
}
