import { LogisticRegression } from '@heart/models';
import { describe, expect, it } from 'vitest';
import { TuningError } from './errors.js';
import { gridSearch, randomSearch } from './grid-search.js';
import { parseSearchSpace } from './search-space.js';

// From an audit of the public API with bad arguments: a misspelt grid key searched nothing (every
// candidate the same model, ranked as if tuned), and a choice's values were never checked.
const features = Array.from({ length: 40 }, (_, i) => [i % 5, (i * 7) % 3]);
const labels = features.map((_, i) => i % 2);

describe('bad input to a search', () => {
  it('refuses a grid key the estimator does not take, naming the candidate', async () => {
    const error = await gridSearch({
      estimator: new LogisticRegression(),
      grid: { c: [0.1, 1] },
      features,
      labels,
      cv: 3,
    }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TuningError);
    expect(error).toMatchObject({ code: 'INVALID_SPACE', path: 'candidates[0]' });
    expect((error as TuningError).message).toContain('unknown option "c"');
  });

  it("checks a choice's values against the option they are for", () => {
    expect(() =>
      parseSearchSpace({
        model: 'rf',
        distributions: { maxFeatures: { type: 'choice', values: ['sqrt', 'bogus'] } },
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'INVALID_SPACE',
        path: 'space.distributions.maxFeatures.values[1]',
        message: expect.stringContaining("maxFeatures must be 'sqrt', 'log2', 'all'"),
      }),
    );
  });

  it('refuses options a search cannot run with, before anything runs (INVALID_OPTION, not a TypeError)', async () => {
    const estimator = new LogisticRegression();
    const base = { estimator, grid: { C: [0.1, 1] }, features, labels, cv: 3 };
    const cases: [() => Promise<unknown>, string][] = [
      [() => gridSearch(undefined as never), 'gridSearch: options must be an object'],
      [
        () => gridSearch({} as never),
        'gridSearch: estimator must be a heart classifier or pipeline',
      ],
      [() => gridSearch({ ...base, grid: null as never }), 'gridSearch: grid must be an object'],
      [
        () =>
          randomSearch({ estimator, distributions: null as never, trials: 3, features, labels }),
        'randomSearch: distributions must be an object',
      ],
      [() => gridSearch({ ...base, refit: 'x' as never }), 'refit must be true or false, got "x"'],
      [
        () => gridSearch({ ...base, errorScore: 'x' as never }),
        "errorScore must be 'raise' or a number",
      ],
      [() => gridSearch({ ...base, onCandidate: 5 as never }), 'onCandidate must be a function'],
    ];
    for (const [run, message] of cases) {
      const error = await run().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error, message).toBeInstanceOf(TuningError);
      expect(error).toMatchObject({ code: 'INVALID_OPTION' });
      expect((error as TuningError).message).toContain(message);
    }
  });
});
