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
export {
  FIXTURES_DIR,
  fixturePath,
  MLFLOW_GOLDEN_DIR,
  REFERENCE_DIR,
  UCI_DIR,
} from './fixtures.js';
export { createManualClock, type ManualClock } from './manual-clock.js';
