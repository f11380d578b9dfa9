/**
 * rocAuc and averagePrecision on 1,000,000 scores against scikit-learn's roc_auc_score and
 * average_precision_score, interleaved: 7 pairs of (heart in-process, then one /usr/bin/python3
 * that times its own calls, start-up excluded), each side the median of 5 calls after a warm-up.
 * Run: pnpm --filter @heart/metrics bench     (pnpm bench runs every benchmark, one at a time)
 */
import { resolve } from 'node:path';
import {
  checkSklearn,
  pairedRows,
  runPairs,
  runPythonJson,
  type Sample,
  timeMs,
  writeBenchResults,
} from '@heart/test-support';
import { averagePrecision, rocAuc } from '../src/index.js';

const N = 1_000_000;
const PAIRS = 7;
const REPEATS = 5;
const SCRIPT = resolve(import.meta.dirname, 'roc_auc_sklearn.py');

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
const input = Buffer.concat([Buffer.from(labels.buffer), Buffer.from(scores.buffer)]);

const values = { auc: rocAuc(labels, scores), ap: averagePrecision(labels, scores) };
const heart = (): Sample => ({
  roc_auc: timeMs(REPEATS, () => rocAuc(labels, scores)),
  average_precision: timeMs(REPEATS, () => averagePrecision(labels, scores)),
});
const sklearn = checkSklearn();
const notes = 'missing' in sklearn ? [sklearn.missing] : [];
const baseline =
  'version' in sklearn
    ? () => runPythonJson(SCRIPT, { args: [String(N), String(REPEATS)], input }) as Sample
    : undefined;

console.log(`@heart/metrics vs scikit-learn, n = ${N.toLocaleString('en-US')}, ${PAIRS} pairs`);
for (const note of notes) console.log(note);
const samples = await runPairs({ pairs: PAIRS, heart, baseline });
const rows = pairedRows(
  samples,
  [
    { key: 'roc_auc', figure: 'rocAuc, 1M scores', unit: 'ms' },
    { key: 'average_precision', figure: 'averagePrecision, 1M scores', unit: 'ms' },
  ],
  'version' in sklearn ? `scikit-learn ${sklearn.version}` : 'scikit-learn',
);
const last = samples.baseline.at(-1);
if (last) {
  const differences = `|auc − sklearn| = ${Math.abs(values.auc - last.auc!).toExponential(2)}, |ap − sklearn| = ${Math.abs(values.ap - last.ap!).toExponential(2)}`;
  console.log(differences);
  notes.push(differences);
}
writeBenchResults('metrics', rows, notes);
