import type { ParamValue } from '@heart/models';
import { XSadd } from 'ml-xsadd';
import { TuningError } from './errors.js';
import type { Params } from './estimators.js';
import type { Distribution, ParamDistributions, ParamGrid } from './search-space.js';

/** Option names in code-unit order, as Python sorts them (scikit-learn's order of a grid). */
const sortedKeys = (object: object) =>
  Object.keys(object).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * Every combination of a grid, in scikit-learn's `ParameterGrid` order: options sorted by name,
 * the last one varying fastest.
 *
 * @example
 * ```ts
 * gridCandidates({ maxDepth: [null, 5], nEstimators: [50, 100] });
 * // [{ maxDepth: null, nEstimators: 50 }, { maxDepth: null, nEstimators: 100 }, { maxDepth: 5, … }, …]
 * ```
 */
export function gridCandidates(grid: ParamGrid): Params[] {
  const keys = sortedKeys(grid);
  const size = gridSize(grid, keys);
  if (size > MAX_CANDIDATES) {
    throw new TuningError({
      code: 'INVALID_SPACE',
      path: 'grid',
      message: `grid: ${size} candidates; at most ${MAX_CANDIDATES} (each is cross-validated)`,
    });
  }
  let candidates: Params[] = [{}];
  for (const key of keys) {
    candidates = candidates.flatMap((partial) =>
      grid[key]!.map((value) => ({ ...partial, [key]: value })),
    );
  }
  return candidates;
}

/** Most candidates a search takes: as many as `--trials` allows. */
export const MAX_CANDIDATES = 10_000;

/** How many points a grid has (every list checked non-empty), without building them. */
export function gridSize(grid: ParamGrid, keys = sortedKeys(grid)): number {
  let size = 1;
  for (const key of keys) {
    if (!Array.isArray(grid[key]) || grid[key]!.length === 0) {
      throw new TuningError({
        code: 'INVALID_SPACE',
        path: `grid.${key}`,
        message: `grid.${key}: expected a non-empty list of values`,
      });
    }
    size *= grid[key]!.length;
  }
  return size;
}

/** Point `index` of a grid in {@link gridCandidates} order (the last option varying fastest). */
function gridPoint(grid: ParamGrid, keys: readonly string[], index: number): Params {
  const point: Params = {};
  let rest = index;
  for (let k = keys.length - 1; k >= 0; k--) {
    const list = grid[keys[k]!]!;
    point[keys[k]!] = list[rest % list.length]!;
    rest = Math.floor(rest / list.length);
  }
  return Object.fromEntries(keys.map((key) => [key, point[key]!]));
}

function draw(
  distribution: Distribution | readonly ParamValue[],
  uniform: () => number,
): ParamValue {
  if (Array.isArray(distribution))
    return distribution[Math.floor(uniform() * distribution.length)]!;
  const spec = distribution as Distribution;
  switch (spec.type) {
    case 'choice':
      return spec.values[Math.floor(uniform() * spec.values.length)]!;
    case 'int':
      return spec.low + Math.floor(uniform() * (spec.high - spec.low + 1));
    case 'uniform':
      return spec.low + uniform() * (spec.high - spec.low);
    case 'loguniform':
      return Math.exp(Math.log(spec.low) + uniform() * (Math.log(spec.high) - Math.log(spec.low)));
  }
}

/**
 * `trials` candidates drawn from `distributions` with a seeded generator, as scikit-learn's
 * `ParameterSampler`: when every option is a list (or a `choice`), distinct grid points without
 * replacement (at most the grid's size); otherwise each option drawn independently per trial.
 * The same seed gives the same candidates; `seed` (an integer in `0..2**32 - 1`) defaults to 42,
 * as `randomSearch`'s does, never to the clock.
 *
 * @example
 * ```ts
 * randomCandidates({ C: { type: 'loguniform', low: 0.01, high: 100 } }, 20, 42);
 * ```
 */
export function randomCandidates(
  distributions: ParamDistributions,
  trials: number,
  seed = 42,
): Params[] {
  if (!Number.isInteger(trials) || trials < 1 || trials > MAX_CANDIDATES) {
    throw new TuningError({
      code: 'INVALID_OPTION',
      message: `trials must be an integer from 1 to ${MAX_CANDIDATES}, got ${String(trials)}`,
    });
  }
  // XSadd would seed an undefined seed from Date.now() and wrap any other integer into 32 bits.
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new TuningError({
      code: 'INVALID_OPTION',
      message: `seed must be an integer from 0 to 4294967295, got ${String(seed)}`,
    });
  }
  const generator = new XSadd(seed);
  const uniform = () => generator.getUint32() / 4294967296;
  const keys = sortedKeys(distributions);
  const lists = keys.map((key) => {
    const spec = distributions[key]!;
    if (Array.isArray(spec)) return spec as readonly ParamValue[];
    return (spec as Distribution).type === 'choice'
      ? (spec as Extract<Distribution, { type: 'choice' }>).values
      : undefined;
  });
  if (lists.every((list) => list !== undefined)) {
    const grid: ParamGrid = Object.fromEntries(keys.map((key, k) => [key, lists[k]!]));
    const size = gridSize(grid, keys);
    if (!Number.isSafeInteger(size)) {
      throw new TuningError({
        code: 'INVALID_SPACE',
        path: 'distributions',
        message: `distributions: a grid of ${size} points is too large to draw from`,
      });
    }
    // A partial Fisher–Yates shuffle of the grid's indices, the swapped ones kept in a map: the
    // same draws as shuffling the whole grid, in memory for `trials` points, not the grid's size.
    const count = Math.min(trials, size);
    const swapped = new Map<number, number>();
    const at = (index: number) => swapped.get(index) ?? index;
    const picked: Params[] = [];
    for (let k = 0; k < count; k++) {
      const pick = k + Math.floor(uniform() * (size - k));
      const chosen = at(pick);
      swapped.set(pick, at(k));
      picked.push(gridPoint(grid, keys, chosen));
    }
    return picked;
  }
  return Array.from({ length: trials }, () =>
    Object.fromEntries(keys.map((key) => [key, draw(distributions[key]!, uniform)])),
  );
}
