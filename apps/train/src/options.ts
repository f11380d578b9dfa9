import { parseArgs } from 'node:util';
import { SITES, type Site } from '@heart/data';

/** The models the pipeline can train. */
const MODEL_KIND_NAMES = ['lr', 'rf'] as const;
export type ModelKind = (typeof MODEL_KIND_NAMES)[number];

/** Metrics the best run can be picked by (higher is better, except the losses). */
export const SELECTION_METRICS = [
  'roc_auc',
  'pr_auc',
  'accuracy',
  'f1',
  'precision',
  'recall',
  'log_loss',
  'brier',
] as const;
export type SelectionMetric = (typeof SELECTION_METRICS)[number];

/** How the train/test split and the CV folds are drawn (see `@heart/preprocessing`). */
const SPLIT_METHODS = ['sklearn', 'heart'] as const;

/** When the alias moves to the newly registered version. */
const PROMOTE_POLICIES = ['if-better', 'always', 'never'] as const;
type SplitMethodName = (typeof SPLIT_METHODS)[number];

/** Everything the pipeline can be told, after flags and environment are merged. */
export interface TrainOptions {
  /** Folder relative paths resolve against (the repository root). */
  root: string;
  /** `--tracking-uri`; unset: @heart/mlflow reads `MLFLOW_TRACKING_URI`, else `./mlruns`. */
  trackingUri: string | undefined;
  /** `--experiment`; unset: `MLFLOW_EXPERIMENT_NAME` (read by @heart/mlflow), else {@link DEFAULT_EXPERIMENT}. */
  experiment: string | undefined;
  dataSource: string | undefined;
  sites: Site[];
  dataDir: string;
  verifyChecksum: boolean;
  seed: number;
  /** `sklearn`: scikit-learn's exact indices for `random_state = seed`; `heart`: heart's own stream. */
  split: SplitMethodName;
  testSize: number;
  cvFolds: number;
  models: ModelKind[];
  selectMetric: SelectionMetric;
  outputDir: string;
  /** The registered model each training adds a version to. */
  registeredModel: string;
  /** The alias that marks the version to serve. */
  alias: string;
  /** `if-better`: move the alias only when the new version beats it on `selectMetric`. */
  promote: (typeof PROMOTE_POLICIES)[number];
  /**
   * `--offline-fallback` (`HEART_MLFLOW_OFFLINE=fallback`): when the tracking server cannot be
   * reached, at the start or for good mid-run, finish into `<root>/mlruns-offline` and print the
   * `heart-mlflow sync` command that publishes it.
   */
  offlineFallback: boolean;
  /**
   * `--search grid|random`: a hyperparameter search per model before it is trained — one parent
   * run, one nested child run per candidate, the best candidate's model on the parent.
   */
  search: SearchOptions | undefined;
  lr: { C: number; maxIter: number };
  rf: {
    nEstimators: number;
    maxDepth: number | null;
    minSamplesLeaf: number;
    maxFeatures: 'sqrt' | 'log2' | 'all' | number;
  };
}

/** `--search`, `--search-space`, `--trials`, `--search-jobs`. */
interface SearchOptions {
  method: 'grid' | 'random';
  /** `--search-space FILE` (JSON, relative to the root); unset: the default space of each model. */
  spaceFile: string | undefined;
  /** `--trials N` (random search); unset: the space's `trials`, else 10. */
  trials: number | undefined;
  /** Worker threads fitting candidates (−1: every core). */
  jobs: number;
}

/** The experiment when neither `--experiment` nor `MLFLOW_EXPERIMENT_NAME` names one. */
export const DEFAULT_EXPERIMENT = 'heart-disease-mlops';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const FLAGS = {
  'tracking-uri': { type: 'string' },
  experiment: { type: 'string' },
  'data-url': { type: 'string' },
  sites: { type: 'string' },
  'data-dir': { type: 'string' },
  'no-verify-checksum': { type: 'boolean' },
  seed: { type: 'string' },
  split: { type: 'string' },
  'test-size': { type: 'string' },
  'cv-folds': { type: 'string' },
  models: { type: 'string' },
  'select-metric': { type: 'string' },
  output: { type: 'string' },
  'registered-model': { type: 'string' },
  alias: { type: 'string' },
  promote: { type: 'string' },
  'offline-fallback': { type: 'boolean' },
  search: { type: 'string' },
  'search-space': { type: 'string' },
  trials: { type: 'string' },
  'search-jobs': { type: 'string' },
  'lr-c': { type: 'string' },
  'lr-max-iter': { type: 'string' },
  'rf-n-estimators': { type: 'string' },
  'rf-max-depth': { type: 'string' },
  'rf-min-samples-leaf': { type: 'string' },
  'rf-max-features': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses flags and environment; throws {@link UsageError} naming the flag on anything unknown or bad. */
export function parseTrainOptions(
  argv: string[],
  env: NodeJS.ProcessEnv,
  root: string,
): TrainOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv.filter((arg) => arg !== '--'),
      strict: true,
      allowPositionals: false,
      options: FLAGS,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nRun with --help for the options.`);
  }
  if (values.help) return 'help';
  const pick = (flag: string, variable?: string): string | undefined =>
    (values[flag] as string | undefined) ?? (variable ? env[variable] || undefined : undefined);
  return {
    root,
    // MLFLOW_* belong to @heart/mlflow, which reads them as MLflow's own clients do.
    trackingUri: pick('tracking-uri'),
    experiment:
      values.experiment === undefined ? undefined : nonEmpty('--experiment', pick('experiment')!),
    dataSource: pick('data-url', 'HEART_DATA_URL'),
    sites: list('--sites', pick('sites', 'HEART_SITES') ?? 'cleveland', SITES),
    dataDir: nonEmpty('--data-dir', pick('data-dir', 'HEART_DATA_DIR') ?? 'data/raw'),
    verifyChecksum: !values['no-verify-checksum'],
    seed: integer('--seed', pick('seed', 'HEART_SEED') ?? '42', 0, 0xffffffff),
    split: oneOf('--split', pick('split', 'HEART_SPLIT') ?? 'sklearn', SPLIT_METHODS),
    testSize: number(
      '--test-size',
      pick('test-size', 'HEART_TEST_SIZE') ?? '0.2',
      (x) => x > 0 && x < 1,
      'a share between 0 and 1',
    ),
    cvFolds: integer('--cv-folds', pick('cv-folds', 'HEART_CV_FOLDS') ?? '5', 2, 50),
    models: list('--models', pick('models', 'HEART_MODELS') ?? 'lr,rf', MODEL_KIND_NAMES),
    selectMetric: oneOf(
      '--select-metric',
      pick('select-metric', 'HEART_SELECT_METRIC') ?? 'roc_auc',
      SELECTION_METRICS,
    ),
    outputDir: nonEmpty('--output', pick('output', 'HEART_MODEL_DIR') ?? 'models'),
    registeredModel: nonEmpty(
      '--registered-model',
      pick('registered-model', 'HEART_REGISTERED_MODEL') ?? 'heart-disease',
    ),
    alias: nonEmpty('--alias', pick('alias', 'HEART_ALIAS') ?? 'champion'),
    promote: oneOf('--promote', pick('promote', 'HEART_PROMOTE') ?? 'if-better', PROMOTE_POLICIES),
    offlineFallback:
      values['offline-fallback'] === true ||
      oneOf('HEART_MLFLOW_OFFLINE', env.HEART_MLFLOW_OFFLINE || 'off', ['fallback', 'off']) ===
        'fallback',
    search: searchOptions(values),
    lr: {
      C: number('--lr-c', pick('lr-c') ?? '1', (x) => x > 0, 'a positive number'),
      maxIter: integer('--lr-max-iter', pick('lr-max-iter') ?? '1000', 1, 1_000_000),
    },
    rf: {
      nEstimators: integer('--rf-n-estimators', pick('rf-n-estimators') ?? '100', 1, 100_000),
      maxDepth: /^none$/i.test(pick('rf-max-depth') ?? 'none')
        ? null
        : integer('--rf-max-depth', pick('rf-max-depth')!, 1, 10_000),
      minSamplesLeaf: integer(
        '--rf-min-samples-leaf',
        pick('rf-min-samples-leaf') ?? '1',
        1,
        1_000_000,
      ),
      maxFeatures: maxFeatures(pick('rf-max-features') ?? 'sqrt'),
    },
  };
}

function searchOptions(
  values: Record<string, string | boolean | undefined>,
): SearchOptions | undefined {
  const raw = values.search as string | undefined;
  if (raw === undefined) {
    for (const flag of ['search-space', 'trials', 'search-jobs'])
      if (values[flag] !== undefined) throw new UsageError(`--${flag} needs --search grid|random`);
    return undefined;
  }
  const method = oneOf('--search', raw, ['grid', 'random']);
  const trials = values.trials as string | undefined;
  if (trials !== undefined && method === 'grid')
    throw new UsageError(
      '--trials is for --search random (a grid has as many candidates as points)',
    );
  const jobs = (values['search-jobs'] as string | undefined) ?? '-1';
  if (!/^(-1|\d+)$/.test(jobs.trim()) || Number(jobs) === 0 || Number(jobs) > 64)
    throw new UsageError(`--search-jobs must be -1 (every core) or 1 to 64, got "${jobs}"`);
  return {
    method,
    spaceFile:
      values['search-space'] === undefined
        ? undefined
        : nonEmpty('--search-space', values['search-space'] as string),
    trials: trials === undefined ? undefined : integer('--trials', trials, 1, 10_000),
    jobs: Number(jobs),
  };
}

function nonEmpty(flag: string, value: string): string {
  if (value.trim() === '') throw new UsageError(`${flag} must not be empty`);
  return value;
}

function number(flag: string, raw: string, ok: (value: number) => boolean, what: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || !ok(value))
    throw new UsageError(`${flag} must be ${what}, got "${raw}"`);
  return value;
}

function integer(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function oneOf<T extends string>(flag: string, raw: string, allowed: readonly T[]): T {
  const value = raw.trim().toLowerCase();
  if (!allowed.includes(value as T))
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return value as T;
}

function list<T extends string>(flag: string, raw: string, allowed: readonly T[]): T[] {
  const items = raw
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean);
  const unknown = items.filter((item) => !allowed.includes(item as T));
  if (items.length === 0 || unknown.length > 0) {
    throw new UsageError(
      `${flag}: ${unknown.length > 0 ? `unknown ${unknown.map((item) => `"${item}"`).join(', ')}` : 'nothing given'}; expected a comma-separated list of ${allowed.join(', ')}`,
    );
  }
  if (new Set(items).size !== items.length)
    throw new UsageError(`${flag}: "${raw}" names an item twice`);
  return items as T[];
}

function maxFeatures(raw: string): TrainOptions['rf']['maxFeatures'] {
  const value = raw.trim().toLowerCase();
  if (value === 'sqrt' || value === 'log2' || value === 'all') return value;
  const parsed = Number(value);
  if (
    value !== '' &&
    Number.isFinite(parsed) &&
    ((Number.isInteger(parsed) && parsed >= 1) || (parsed > 0 && parsed < 1))
  )
    return parsed;
  throw new UsageError(
    `--rf-max-features must be sqrt, log2, all, a count ≥ 1 or a share in (0, 1), got "${raw}"`,
  );
}
