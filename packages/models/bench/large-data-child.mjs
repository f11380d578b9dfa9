// One child process of large-data.bench.ts (run from the built packages, plain node): streams
// the generated file, preprocesses it, fits both models. argv: file, trees, nJobs. Prints one
// JSON line: each phase's wall time (ms) and the process's peak RSS (MiB) after load and at the end.
import { streamDataset } from '@heart/data';
import { LogisticRegression, RandomForest, terminateWorkers } from '@heart/models';
import { createHeartPreprocessor } from '@heart/preprocessing';

const [file, trees, nJobs] = process.argv.slice(2);
const peak = () => process.resourceUsage().maxRSS / 1024;
const result = {};
let started = performance.now();
const lap = (name) => {
  const now = performance.now();
  result[`${name}_ms`] = now - started;
  started = now;
};
const begun = started;
let dataset = await streamDataset({ paths: file });
lap('load');
result.load_rss = peak();
result.rows = dataset.rows;
const features = createHeartPreprocessor().fitTransformColumns(dataset.columns);
const target = dataset.target;
dataset = undefined;
lap('preprocess');
new LogisticRegression().fit(features, target);
lap('lr');
new RandomForest({ nEstimators: Number(trees), seed: 42, nJobs: Number(nJobs) }).fit(
  features,
  target,
);
lap('rf');
result.total_ms = performance.now() - begun;
result.total_rss = peak();
await terminateWorkers();
console.log(JSON.stringify(result));
