/**
 * One child process of models.bench.ts: the first LogisticRegression fit of a fresh process (the
 * JIT cold), then the median of 7 more (warm). argv: data folder, matrix name, columns.
 * Prints one JSON line { first, warm } in ms.
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
const first = fit();
const warm = Array.from({ length: 7 }, fit).sort((a, b) => a - b)[3]!;
console.log(JSON.stringify({ first, warm }));
