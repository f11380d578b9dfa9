import { ModelError } from '../errors.js';
import type { MaxFeatures, RandomForestOptions } from '../random-forest.js';
import { integerOption } from './validate.js';

type SavedOptions = Required<Omit<RandomForestOptions, 'nJobs'>>;

const DEFAULTS: SavedOptions = {
  nEstimators: 100,
  maxDepth: null,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxFeatures: 'sqrt',
  bootstrap: true,
  criterion: 'gini',
  seed: 42,
  maxBins: 256,
};

/** The constructor's option names (anything else is refused). */
export const FOREST_OPTION_NAMES: readonly string[] = [...Object.keys(DEFAULTS), 'nJobs'];

/** The options with their defaults filled in, every one checked (`INVALID_OPTION`). */
export function readForestOptions(options: Omit<RandomForestOptions, 'nJobs'>): SavedOptions {
  const o = {
    ...DEFAULTS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
  integerOption('nEstimators', o.nEstimators, 1, 100_000);
  if (o.maxDepth !== null) integerOption('maxDepth', o.maxDepth, 1, 10_000);
  integerOption('minSamplesSplit', o.minSamplesSplit, 2);
  integerOption('minSamplesLeaf', o.minSamplesLeaf, 1);
  integerOption('seed', o.seed, 0, 0xffffffff);
  integerOption('maxBins', o.maxBins, 2, 65_535);
  if (typeof o.bootstrap !== 'boolean')
    throw new ModelError({ code: 'INVALID_OPTION', message: 'bootstrap must be a boolean' });
  if (o.criterion !== 'gini' && o.criterion !== 'entropy') {
    throw new ModelError({
      code: 'INVALID_OPTION',
      message: `criterion must be 'gini' or 'entropy', got ${JSON.stringify(o.criterion)}`,
    });
  }
  resolveMaxFeatures(o.maxFeatures, Number.MAX_SAFE_INTEGER);
  return o as SavedOptions;
}

/** The number of features drawn per split, out of `width`. */
export function resolveMaxFeatures(maxFeatures: MaxFeatures, width: number): number {
  if (maxFeatures === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(width)));
  if (maxFeatures === 'log2') return Math.max(1, Math.floor(Math.log2(width)));
  if (maxFeatures === 'all') return width;
  if (typeof maxFeatures === 'number' && Number.isInteger(maxFeatures) && maxFeatures >= 1) {
    if (maxFeatures > width) {
      throw new ModelError({
        code: 'INVALID_OPTION',
        message: `maxFeatures ${maxFeatures} exceeds the ${width} features`,
      });
    }
    return maxFeatures;
  }
  if (typeof maxFeatures === 'number' && maxFeatures > 0 && maxFeatures < 1)
    return Math.max(1, Math.floor(maxFeatures * width));
  throw new ModelError({
    code: 'INVALID_OPTION',
    message: `maxFeatures must be 'sqrt', 'log2', 'all', an integer ≥ 1 or a share in (0, 1), got ${JSON.stringify(maxFeatures)}`,
  });
}
