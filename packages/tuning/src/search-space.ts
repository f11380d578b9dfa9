import type { ParamValue } from '@heart/models';
import { MAX_CANDIDATES } from './candidates.js';
import { TuningError } from './errors.js';
import {
  assertOptionName,
  createClassifier,
  type EstimatorKind,
  type Params,
  readKind,
} from './estimators.js';

/** Lists of values per option: every combination is a candidate (scikit-learn's `param_grid`). */
export type ParamGrid = Record<string, readonly ParamValue[]>;

/** How random search draws one option's value. */
export type Distribution =
  /** An integer from `low` to `high`, both included, each equally likely. */
  | { type: 'int'; low: number; high: number }
  /** A number uniformly from [`low`, `high`). */
  | { type: 'uniform'; low: number; high: number }
  /** A number whose logarithm is uniform on [log `low`, log `high`): for `C`, say. */
  | { type: 'loguniform'; low: number; high: number }
  /** One of `values`, each equally likely. */
  | { type: 'choice'; values: readonly ParamValue[] };

/** Per option, a distribution or a list of values (a list is a `choice`, as in scikit-learn). */
export type ParamDistributions = Record<string, Distribution | readonly ParamValue[]>;

/** A checked search space, from {@link parseSearchSpace}. */
export interface SearchSpace {
  /** The classifier it tunes. */
  model: EstimatorKind;
  /** Options every candidate shares (`{ seed: 42 }`). */
  fixed: Params;
  /** For grid search. */
  grid?: ParamGrid;
  /** For random search. */
  distributions?: ParamDistributions;
  /** Candidates random search draws, when the space says. */
  trials?: number;
}

const TYPES = ['int', 'uniform', 'loguniform', 'choice'] as const;

function fail(path: string, message: string): never {
  throw new TuningError({ code: 'INVALID_SPACE', path, message: `${path}: ${message}` });
}

function isParamValue(value: unknown): value is ParamValue {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function readObject(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail(path, `expected an object, got ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

/** Builds the classifier with `options` to check them; a refusal becomes `INVALID_SPACE` at `path`. */
function checkOptions(model: EstimatorKind, options: Params, path: string): void {
  try {
    createClassifier({ kind: model, options });
  } catch (error) {
    fail(path, (error as Error).message);
  }
}

function readValues(
  value: unknown,
  path: string,
  model: EstimatorKind,
  fixed: Params,
  // The option the values are for: the path's last segment, except under a choice's `.values`.
  name = path.slice(path.lastIndexOf('.') + 1),
): ParamValue[] {
  if (!Array.isArray(value) || value.length === 0)
    fail(path, 'expected a non-empty list of values');
  return value.map((item, k) => {
    if (!isParamValue(item))
      fail(`${path}[${k}]`, `not a number, string, boolean or null: ${JSON.stringify(item)}`);
    checkOptions(model, { ...fixed, [name]: item }, `${path}[${k}]`);
    return item;
  });
}

function readDistribution(
  value: unknown,
  path: string,
  model: EstimatorKind,
  fixed: Params,
): Distribution | ParamValue[] {
  if (Array.isArray(value)) return readValues(value, path, model, fixed);
  const spec = readObject(value, path);
  const type = spec.type as (typeof TYPES)[number];
  if (!TYPES.includes(type))
    fail(`${path}.type`, `expected one of ${TYPES.join(', ')}, got ${JSON.stringify(spec.type)}`);
  if (type === 'choice')
    return {
      type,
      values: readValues(
        spec.values,
        `${path}.values`,
        model,
        fixed,
        path.slice(path.lastIndexOf('.') + 1),
      ),
    };
  const { low, high } = spec;
  if (typeof low !== 'number' || !Number.isFinite(low))
    fail(`${path}.low`, 'expected a finite number');
  if (typeof high !== 'number' || !Number.isFinite(high))
    fail(`${path}.high`, 'expected a finite number');
  if (type === 'int' && !(Number.isInteger(low) && Number.isInteger(high)))
    fail(path, `int bounds must be integers, got ${low}..${high}`);
  if (type === 'int' ? high < low : high <= low)
    fail(path, `high (${high}) must exceed low (${low})`);
  if (type === 'loguniform' && low <= 0)
    fail(`${path}.low`, `loguniform needs low > 0, got ${low}`);
  const name = path.slice(path.lastIndexOf('.') + 1);
  for (const [bound, at] of [
    [low, 'low'],
    [high, 'high'],
  ] as const)
    checkOptions(model, { ...fixed, [name]: bound }, `${path}.${at}`);
  return { type, low, high };
}

function readSection<T>(
  value: unknown,
  path: string,
  model: EstimatorKind,
  read: (item: unknown, at: string) => T,
): Record<string, T> {
  const entries = Object.entries(readObject(value, path));
  if (entries.length === 0) fail(path, 'names no option');
  return Object.fromEntries(
    entries.map(([name, item]) => {
      assertOptionName(model, name, `${path}.${name}`);
      return [name, read(item, `${path}.${name}`)];
    }),
  );
}

/**
 * Checks a search space given as JSON (parsed) and returns it typed: the model (`"rf"`,
 * `"random-forest"`, `"lr"`, `"logistic-regression"`), `fixed` options, a `grid` (lists of
 * values) and/or `distributions` (`{ "type": "int" | "uniform" | "loguniform", "low", "high" }`,
 * `{ "type": "choice", "values": […] }`, or a plain list), and `trials`. Every option name must
 * be one the model takes, and every value one its constructor accepts; the first fault throws
 * `INVALID_SPACE` with its path (`grid.maxDepth[1]: maxDepth must be an integer in 1..10000, got 0`).
 *
 * @example
 * ```ts
 * const space = parseSearchSpace({
 *   model: 'rf',
 *   fixed: { seed: 42 },
 *   grid: { nEstimators: [50, 100], maxDepth: [null, 5, 10], minSamplesLeaf: [1, 2, 4, 8] },
 * });
 * ```
 */
export function parseSearchSpace(json: unknown): SearchSpace {
  const root = readObject(json, 'space');
  for (const key of Object.keys(root)) {
    if (
      !['model', 'fixed', 'grid', 'distributions', 'trials', '$schema', 'description'].includes(key)
    )
      fail(`space.${key}`, 'unknown key (expected model, fixed, grid, distributions, trials)');
  }
  const model = readKind(root.model, 'space.model');
  const fixed: Params =
    root.fixed === undefined
      ? {}
      : readSection(root.fixed, 'space.fixed', model, (item, at) => {
          if (!isParamValue(item))
            fail(at, `not a number, string, boolean or null: ${JSON.stringify(item)}`);
          return item;
        });
  checkOptions(model, fixed, 'space.fixed');
  if (root.grid === undefined && root.distributions === undefined)
    fail('space', 'needs a grid (grid search) or distributions (random search)');
  const space: SearchSpace = { model, fixed };
  if (root.grid !== undefined)
    space.grid = readSection(root.grid, 'space.grid', model, (item, at) =>
      readValues(item, at, model, fixed),
    );
  if (root.distributions !== undefined) {
    space.distributions = readSection(
      root.distributions,
      'space.distributions',
      model,
      (item, at) => readDistribution(item, at, model, fixed),
    );
  }
  if (root.trials !== undefined) {
    if (
      !Number.isInteger(root.trials) ||
      (root.trials as number) < 1 ||
      (root.trials as number) > MAX_CANDIDATES
    )
      fail(
        'space.trials',
        `expected an integer from 1 to ${MAX_CANDIDATES}, got ${JSON.stringify(root.trials)}`,
      );
    space.trials = root.trials as number;
  }
  return space;
}

/**
 * The space's classifier with its `fixed` options: the template a search copies for each
 * candidate (wrap it in a `Pipeline` to tune a pipeline).
 *
 * @example
 * ```ts
 * const forest = createEstimator(parseSearchSpace(json)); // new RandomForest(space.fixed)
 * ```
 */
export function createEstimator(space: SearchSpace) {
  return createClassifier({ kind: space.model, options: space.fixed });
}
