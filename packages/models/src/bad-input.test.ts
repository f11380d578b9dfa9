import { describe, expect, it } from 'vitest';
import { ModelError } from './errors.js';
import { LogisticRegression } from './logistic-regression.js';
import { RandomForest } from './random-forest.js';

// From an audit of the public API with bad arguments: each of these was a TypeError, a silently
// ignored option or a fit on nothing.
const features = Array.from({ length: 20 }, (_, i) => [i % 5, (i * 7) % 3]);
const labels = features.map((_, i) => i % 2);

function modelError(call: () => unknown): ModelError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError);
    return error as ModelError;
  }
  throw new Error('expected a ModelError');
}

describe('bad input to the classifiers', () => {
  it('refuses an unknown option, naming it (randomState was dropped and seed 42 used)', () => {
    const error = modelError(() => new RandomForest({ randomState: 7 } as never));
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain('"randomState"; did you mean "seed"?');
    expect(modelError(() => new RandomForest({ n_estimators: 5 } as never)).message).toContain(
      'did you mean "nEstimators"?',
    );
    expect(modelError(() => new LogisticRegression({ max_iter: 5 } as never)).message).toContain(
      'did you mean "maxIter"?',
    );
  });

  it('still loads a saved forest whose options carry a key it does not know', () => {
    const saved = new RandomForest({ nEstimators: 2 }).fit(features, labels).toJSON();
    const loaded = RandomForest.load({ ...saved, options: { ...saved.options, randomState: 7 } });
    expect(loaded.toJSON().options).toEqual(saved.options);
  });

  it.each([
    ['new LogisticRegression(null)', () => new LogisticRegression(null as never)],
    ['new RandomForest(null)', () => new RandomForest(null as never)],
    [
      'LogisticRegression.fit(…, null)',
      () => new LogisticRegression().fit(features, labels, null as never),
    ],
    [
      'RandomForest.fit(…, null)',
      () => new RandomForest({ nEstimators: 2 }).fit(features, labels, null as never),
    ],
    [
      'predict(…, null)',
      () => new LogisticRegression().fit(features, labels).predict(features, null as never),
    ],
  ])('%s is INVALID_OPTION, not a TypeError', (_, call) => {
    const error = modelError(call);
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain('options must be an object, got null');
  });

  it('names a bigint label instead of failing to print it', () => {
    const error = modelError(() =>
      new LogisticRegression().fit([[1], [2]], BigInt64Array.from([0n, 1n]) as never),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('label 0 is 0n');
  });

  it('refuses rows of no features, as it refuses a dense matrix of 0 columns', () => {
    for (const model of [new LogisticRegression(), new RandomForest({ nEstimators: 2 })]) {
      const error = modelError(() => model.fit([[], []], [0, 1]));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toContain('row 0 has no features');
    }
  });
});
