import { describe, expect, it } from 'vitest';
import { classificationReport } from './classification-report.js';
import { confusionMatrix } from './confusion-matrix.js';
import { rocCurve } from './curves.js';
import { MetricsError } from './errors.js';
import { logLoss } from './probability-metrics.js';
import { accuracy, f1, precision, recall } from './threshold-metrics.js';

// From an audit of the public API with bad arguments: each was a TypeError or an option coerced.
const labels = [0, 1, 0, 1];
const scores = [0.1, 0.9, 0.4, 0.6];

function metricsError(call: () => unknown): MetricsError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(MetricsError);
    return error as MetricsError;
  }
  throw new Error('expected a MetricsError');
}

describe('bad input to the metrics', () => {
  it.each([
    ['accuracy', () => accuracy(labels, scores, null as never)],
    ['precision', () => precision(labels, scores, null as never)],
    ['recall', () => recall(labels, scores, null as never)],
    ['f1', () => f1(labels, scores, null as never)],
    ['logLoss', () => logLoss(labels, scores, null as never)],
    ['confusionMatrix', () => confusionMatrix(labels, scores, null as never)],
    ['rocCurve', () => rocCurve(labels, scores, null as never)],
    ['classificationReport', () => classificationReport(labels, scores, null as never)],
  ])('%s(labels, scores, null) is INVALID_OPTION, not a TypeError', (name, call) => {
    const error = metricsError(call);
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toBe(`${name}: options must be an object, got null`);
  });

  it('names a bigint label instead of failing to print it', () => {
    const error = metricsError(() => accuracy(BigUint64Array.from([0n, 1n]) as never, [0.2, 0.3]));
    expect(error.code).toBe('INVALID_LABEL');
    expect(error.message).toBe('accuracy: labels[0] is 0n, expected 0 or 1');
  });

  it('refuses a flag that is not a boolean (the string "false" kept the curves)', () => {
    expect(
      metricsError(() => rocCurve(labels, scores, { dropIntermediate: 'no' as never })).message,
    ).toBe('rocCurve: dropIntermediate must be true or false, got no');
    expect(
      metricsError(() => classificationReport(labels, scores, { includeCurves: 'false' as never }))
        .code,
    ).toBe('INVALID_OPTION');
  });
});
