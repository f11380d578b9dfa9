import { LogisticRegression, RandomForest } from '@heart/models';
import { describe, expect, it } from 'vitest';
import { gridCandidates, randomCandidates } from './candidates.js';
import { TuningError } from './errors.js';
import { createEstimator, parseSearchSpace } from './search-space.js';

function spaceError(json: unknown): TuningError {
  try {
    parseSearchSpace(json);
  } catch (error) {
    expect(error).toBeInstanceOf(TuningError);
    return error as TuningError;
  }
  throw new Error('expected a TuningError');
}

describe('parseSearchSpace', () => {
  it('reads a grid and distributions, with fixed options, for either model', () => {
    const space = parseSearchSpace({
      model: 'rf',
      fixed: { seed: 7 },
      grid: { nEstimators: [50, 100], maxDepth: [null, 5] },
      distributions: {
        minSamplesLeaf: { type: 'int', low: 1, high: 8 },
        maxFeatures: { type: 'choice', values: ['sqrt', 'log2', 0.5] },
        criterion: ['gini', 'entropy'],
      },
      trials: 12,
    });
    expect(space).toMatchObject({ model: 'random-forest', fixed: { seed: 7 }, trials: 12 });
    const forest = createEstimator(space);
    expect(forest).toBeInstanceOf(RandomForest);
    expect((forest as RandomForest).options.seed).toBe(7);
    const lr = parseSearchSpace({
      model: 'logistic-regression',
      distributions: { C: { type: 'loguniform', low: 0.001, high: 100 } },
    });
    expect(createEstimator(lr)).toBeInstanceOf(LogisticRegression);
  });

  it('names the path of the first fault', () => {
    expect(spaceError({ model: 'svm', grid: {} }).message).toBe(
      'space.model: expected "rf", "random-forest", "lr" or "logistic-regression", got "svm"',
    );
    const typo = spaceError({ model: 'rf', grid: { n_estimators: [10] } });
    expect(typo.path).toBe('space.grid.n_estimators');
    expect(typo.message).toContain('did you mean "nEstimators"?');
    const bad = spaceError({ model: 'rf', grid: { maxDepth: [null, 0] } });
    expect(bad.code).toBe('INVALID_SPACE');
    expect(bad.message).toBe(
      'space.grid.maxDepth[1]: maxDepth must be an integer in 1..10000, got 0',
    );
    expect(spaceError({ model: 'rf', grid: { maxDepth: [] } }).message).toContain('non-empty list');
    expect(
      spaceError({ model: 'lr', distributions: { C: { type: 'loguniform', low: 0, high: 1 } } })
        .message,
    ).toContain('loguniform needs low > 0');
    expect(
      spaceError({ model: 'lr', distributions: { C: { type: 'normal', low: 0, high: 1 } } }).path,
    ).toBe('space.distributions.C.type');
    expect(
      spaceError({
        model: 'rf',
        distributions: { nEstimators: { type: 'int', low: 5, high: 2.5 } },
      }).message,
    ).toContain('int bounds must be integers');
    expect(spaceError({ model: 'rf' }).message).toContain('needs a grid');
    expect(spaceError({ model: 'rf', grid: { seed: [1] }, trials: 0 }).path).toBe('space.trials');
    expect(spaceError({ model: 'rf', grid: { seed: [1] }, extra: 1 }).path).toBe('space.extra');
    expect(spaceError({ model: 'lr', fixed: { C: -1 }, grid: { tol: [1e-4] } }).message).toContain(
      'C must be a positive number',
    );
  });
});

describe('candidates', () => {
  it("enumerate a grid in scikit-learn's ParameterGrid order (sorted names, last fastest)", () => {
    expect(gridCandidates({ nEstimators: [50, 100], maxDepth: [null, 5] })).toEqual([
      { maxDepth: null, nEstimators: 50 },
      { maxDepth: null, nEstimators: 100 },
      { maxDepth: 5, nEstimators: 50 },
      { maxDepth: 5, nEstimators: 100 },
    ]);
  });

  it('draw the same candidates for the same seed, distinct grid points for lists', () => {
    const distributions = {
      C: { type: 'loguniform' as const, low: 0.01, high: 100 },
      maxIter: { type: 'int' as const, low: 100, high: 200 },
    };
    const a = randomCandidates(distributions, 30, 1);
    expect(randomCandidates(distributions, 30, 1)).toEqual(a);
    expect(randomCandidates(distributions, 30, 2)).not.toEqual(a);
    for (const { C, maxIter } of a) {
      expect(C as number).toBeGreaterThanOrEqual(0.01);
      expect(C as number).toBeLessThan(100);
      expect(
        Number.isInteger(maxIter) && (maxIter as number) >= 100 && (maxIter as number) <= 200,
      ).toBe(true);
    }
    const lists = randomCandidates({ nEstimators: [10, 20, 30], maxDepth: [3, 5] }, 10, 3);
    expect(lists).toHaveLength(6);
    expect(new Set(lists.map((c) => JSON.stringify(c))).size).toBe(6);
  });
});
