import { LogisticRegression } from '@heart/models';
import { createHeartPreprocessor } from '@heart/preprocessing';
import { describe, expect, it } from 'vitest';
import { crossValidate } from './cross-validate.js';
import { Pipeline } from './pipeline.js';
import { cleveland, heartInputSchema, thrown } from './test-support/heart.js';

// From an audit of the public API with bad arguments: these were TypeErrors from deep inside.
describe('bad options from a plain-JavaScript caller', () => {
  it('a Pipeline without options, a preprocessor or a classifier is INVALID_OPTION naming it', async () => {
    const inputSchema = heartInputSchema((await cleveland()).missing);
    const preprocessor = createHeartPreprocessor();
    const classifier = new LogisticRegression();
    const cases: [unknown, string][] = [
      [undefined, 'Pipeline: options must be an object, got undefined'],
      [{ classifier, inputSchema }, 'Pipeline: preprocessor must be a @heart/preprocessing'],
      [{ preprocessor, inputSchema }, 'Pipeline: classifier must be a @heart/models classifier'],
      [{ preprocessor, classifier: {}, inputSchema }, 'classifier must be'],
    ];
    for (const [options, message] of cases) {
      const error = thrown(() => new Pipeline(options as never));
      expect(error.code).toBe('INVALID_OPTION');
      expect(error.message).toContain(message);
    }
  });

  it('crossValidate without its folds, records, labels or functions is INVALID_OPTION naming it', async () => {
    const { rows } = await cleveland();
    const labels = rows.map((row) => row.target);
    const whole = {
      records: rows,
      labels,
      folds: [],
      createPipeline: () => undefined as never,
      score: () => 0,
    };
    const cases: [unknown, string][] = [
      [undefined, 'crossValidate: options must be an object'],
      [{ ...whole, folds: undefined }, 'crossValidate: folds must be an array'],
      [{ ...whole, records: null }, 'crossValidate: records must be an array, got null'],
      [{ ...whole, createPipeline: undefined }, 'crossValidate: createPipeline must be a function'],
      [{ ...whole, score: 'rocAuc' }, 'crossValidate: score must be a function, got string'],
    ];
    for (const [options, message] of cases) {
      const error = thrown(() => crossValidate(options as never));
      expect(error.code).toBe('INVALID_OPTION');
      expect(error.message).toContain(message);
    }
    // The whole set passes the check: zero folds, zero scores.
    expect(crossValidate(whole)).toEqual([]);
  });
});
