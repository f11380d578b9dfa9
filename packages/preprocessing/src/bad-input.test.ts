import { describe, expect, it } from 'vitest';
import { PreprocessingError } from './errors.js';
import { createHeartPreprocessor } from './heart-preprocessor.js';
import { kFold } from './k-fold.js';
import { OneHotEncoder } from './one-hot-encoder.js';
import { SimpleImputer } from './simple-imputer.js';
import { StandardScaler } from './standard-scaler.js';
import { stratifiedKFold } from './stratified-k-fold.js';
import { trainTestSplit } from './train-test-split.js';

// From an audit of the public API with bad arguments: each was a TypeError or a RangeError.
function preprocessingError(call: () => unknown): PreprocessingError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(PreprocessingError);
    return error as PreprocessingError;
  }
  throw new Error('expected a PreprocessingError');
}

describe('bad input to the splitters', () => {
  it.each([
    ['kFold', () => kFold(undefined as never), 'rowCount'],
    ['stratifiedKFold', () => stratifiedKFold(undefined as never), 'labels'],
    ['trainTestSplit', () => trainTestSplit(null as never), 'labels'],
  ])('%s without options is INVALID_OPTION naming what it needs', (name, call, field) => {
    const error = preprocessingError(call);
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain(`${name}: options must be an object with ${field}`);
  });

  it('refuses a row count no index array can hold (was RangeError: Invalid array length)', () => {
    const error = preprocessingError(() => kFold({ rowCount: 2 ** 53 }));
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toBe(
      'kFold: rowCount must be at most 4294967295 (the longest array), got 9007199254740992',
    );
  });

  it('names a bigint label instead of failing to print it', () => {
    const labels = BigInt64Array.from([0n, 1n, 2n]) as never;
    expect(preprocessingError(() => stratifiedKFold({ labels })).message).toContain(
      'label 0 is 0n',
    );
    expect(
      preprocessingError(() => trainTestSplit({ labels, method: 'sklearn' })).message,
    ).toContain('label 0 is 0n');
  });
});

describe('bad options to the transformers', () => {
  it.each([
    [
      'StandardScaler withMean "x"',
      () => new StandardScaler({ withMean: 'x' as never }),
      'StandardScaler: withMean must be true or false, got "x"',
    ],
    [
      'StandardScaler withStd 0',
      () => new StandardScaler({ withStd: 0 as never }),
      'StandardScaler: withStd must be true or false, got 0',
    ],
    [
      'StandardScaler(null)',
      () => new StandardScaler(null as never),
      'StandardScaler: options must be an object, got null',
    ],
    [
      'SimpleImputer(null)',
      () => new SimpleImputer(null as never),
      'SimpleImputer: options must be an object, got null',
    ],
    [
      'OneHotEncoder(null)',
      () => new OneHotEncoder(null as never),
      'OneHotEncoder: options must be an object, got null',
    ],
    [
      'createHeartPreprocessor(null)',
      () => createHeartPreprocessor(null as never),
      'createHeartPreprocessor: options must be an object, got null',
    ],
  ])('%s is INVALID_OPTION naming it', (_, call, message) => {
    const error = preprocessingError(call);
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toBe(message);
  });
});
