export {
  BENCH_RESULTS_DIR,
  type BenchRow,
  type CompareOptions,
  checkSklearn,
  compare,
  type PairsOptions,
  pairedRows,
  printRows,
  runPairs,
  runPythonJson,
  type Sample,
  type Spread,
  SYSTEM_PYTHON,
  spread,
  timeMs,
  writeBenchResults,
} from './bench.js';
export { type ChildOutput, childOutput } from './child-output.js';
export {
  FaultProxy,
  type FaultProxyOptions,
  type ProxyFault,
} from './fault-proxy.js';
export {
  FIXTURES_DIR,
  fixturePath,
  MLFLOW_GOLDEN_DIR,
  REFERENCE_DIR,
  UCI_DIR,
} from './fixtures.js';
export { type ForwardProxy, startForwardProxy } from './forward-proxy.js';
export { copyGoldenTree } from './golden-tree.js';
export { listFiles } from './list-files.js';
export { closeServer, listenOnLoopback } from './loopback.js';
export { createManualClock, type ManualClock } from './manual-clock.js';
export {
  type Exchange,
  loadExchanges,
  type Received,
  type RecordedBody,
} from './mlflow-replay/exchanges.js';
export type { MetricStore } from './mlflow-replay/replay-batch.js';
export type { ReplayExperiment } from './mlflow-replay/replay-experiments.js';
export type {
  ReplayModelVersion,
  ReplayRegisteredModel,
} from './mlflow-replay/replay-registry-wire.js';
export type { ReplayMetric, ReplayRun } from './mlflow-replay/replay-run.js';
export { ReplayServer } from './mlflow-replay/replay-server.js';
export { tempDir } from './temp-dir.js';
