/**
 * One child process of models.bench.ts: the first LogisticRegression fit of a fresh process, then
 * 19 more: `warm` is the median of fits 2–8 (the figure since the first benchmark), `steady` the
 * median of fits 11–20, once V8 has compiled everything with its optimising tier. argv: data
 * folder, matrix name, columns. Prints one JSON line { first, warm, steady } in ms.
 */
import { LogisticRegression } from '../src/index.js';
import { readMatrix } from './datasets.js';

const [folder, name, columns] = process.argv.slice(2) as [string, string, string];
const { dense, labels } = readMatrix(folder, name, Number(columns));
const fit = () => {
  const started = performance.now();
  new LogisticRegression({ maxIter: 1000 }).fit(dense, labels);
  return performance.now() - started;
};
const times = Array.from({ length: 20 }, fit);
const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1]!;
console.log(
  JSON.stringify({
    first: times[0],
    warm: median(times.slice(1, 8)),
    steady: median(times.slice(10)),
  }),
);
