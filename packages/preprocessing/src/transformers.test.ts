import { describe, expect, it } from 'vitest';
import { PreprocessingError } from './errors.js';
import { loadTransformer } from './load-transformer.js';
import { OneHotEncoder } from './one-hot-encoder.js';
import { SimpleImputer } from './simple-imputer.js';
import { StandardScaler } from './standard-scaler.js';

const NaN_ = Number.NaN;

describe('SimpleImputer', () => {
  it('fills with the median (mean of the middle two for an even count)', () => {
    const imputer = new SimpleImputer({ strategy: 'median' }).fit([
      [1, 5],
      [NaN_, 7],
      [3, null],
      [10, 1],
    ]);
    expect(imputer.statistics).toEqual([3, 5]);
    expect(imputer.transform([[null, NaN_]])).toEqual([Float64Array.from([3, 5])]);
  });

  it('fills with the most frequent value, the smallest on ties (scikit-learn)', () => {
    expect(
      new SimpleImputer({ strategy: 'most_frequent' }).fit([[7], [3], [7], [3], [6]]).statistics,
    ).toEqual([3]);
    expect(
      new SimpleImputer({ strategy: 'most_frequent' }).fit([[7], [3], [7], [NaN_]]).statistics,
    ).toEqual([7]);
  });

  it('fills with the mean, a constant, or 0 for a column with no values', () => {
    expect(new SimpleImputer().fit([[1], [2], [NaN_], [6]]).statistics).toEqual([3]);
    expect(
      new SimpleImputer({ strategy: 'constant', fillValue: -1 })
        .fit([[1], [NaN_]])
        .transform([[NaN_]]),
    ).toEqual([Float64Array.from([-1])]);
    expect(
      new SimpleImputer({ strategy: 'median' }).fit([
        [NaN_, 1],
        [null, 2],
      ]).statistics,
    ).toEqual([0, 1.5]);
  });

  it('refuses bad options, unfitted use and a different width', () => {
    expect(() => new SimpleImputer({ strategy: 'mode' as 'mean' })).toThrow(
      /strategy must be one of/,
    );
    expect(() => new SimpleImputer().transform([[1]])).toThrow(/not fitted/);
    expect(() => new SimpleImputer().fit([[1, 2]]).transform([[1]])).toThrow(
      /row 0 has 1 values, expected 2/,
    );
    expect(() => new SimpleImputer().fit([[1, 2], [3]])).toThrow(PreprocessingError);
    expect(() => new SimpleImputer().fit([['1' as unknown as number]])).toThrow(
      /row 0 column 0: expected a number or null/,
    );
  });

  it('round-trips through JSON', () => {
    const imputer = new SimpleImputer({ strategy: 'median' }).fit([[1], [2], [4]]);
    const restored = loadTransformer(JSON.parse(JSON.stringify(imputer)));
    expect(restored).toBeInstanceOf(SimpleImputer);
    expect(restored.transform([[NaN_]])).toEqual([Float64Array.from([2])]);
  });
});

describe('StandardScaler', () => {
  it('uses the population standard deviation, as scikit-learn', () => {
    const scaler = new StandardScaler().fit([[1], [2], [3], [4]]);
    expect(scaler.mean).toEqual([2.5]);
    expect(scaler.scale[0]).toBeCloseTo(Math.sqrt(1.25), 15);
    expect(scaler.transform([[4]])[0]![0]).toBeCloseTo(1.5 / Math.sqrt(1.25), 15);
  });

  it('scales a constant column by 1 instead of dividing by zero', () => {
    const scaler = new StandardScaler().fit([
      [5, 0.1],
      [5, 0.1],
      [5, 0.1],
    ]);
    expect(scaler.scale).toEqual([1, 1]);
    const [scaled] = scaler.transform([[6, 0.1]]);
    expect(scaled![0]).toBe(1);
    expect(scaled![1]).toBeCloseTo(0, 15);
  });

  it('ignores missing values when fitting and keeps them as NaN', () => {
    const scaler = new StandardScaler().fit([[1], [NaN_], [3]]);
    expect(scaler.mean).toEqual([2]);
    expect(Number.isNaN(scaler.transform([[null]])[0]![0])).toBe(true);
    expect(() => new StandardScaler().fit([[NaN_]])).toThrow(/column 0 has no values/);
  });

  it('honours withMean and withStd, and round-trips through JSON', () => {
    const scaler = new StandardScaler({ withMean: false }).fit([[2], [4]]);
    expect(scaler.transform([[4]])[0]![0]).toBe(4);
    const restored = StandardScaler.load(JSON.stringify(scaler));
    expect(restored.withMean).toBe(false);
    expect(restored.transform([[4]])).toEqual(scaler.transform([[4]]));
    expect(() => StandardScaler.load({ ...scaler.toJSON(), scale: [0] })).toThrow(
      /one positive number per column/,
    );
  });
});

describe('OneHotEncoder', () => {
  it('sorts categories ascending and names columns column=value', () => {
    const encoder = new OneHotEncoder().fit([
      [7, 1],
      [3, 0],
      [6, 1],
    ]);
    expect(encoder.categories).toEqual([
      [3, 6, 7],
      [0, 1],
    ]);
    expect(encoder.featureNamesOut(['thal', 'sex'])).toEqual([
      'thal=3',
      'thal=6',
      'thal=7',
      'sex=0',
      'sex=1',
    ]);
    expect(Array.from(encoder.transform([[6, 0]])[0]!)).toEqual([0, 1, 0, 1, 0]);
  });

  it('refuses an unknown category by default and zeroes it with handleUnknown: ignore', () => {
    expect(() => new OneHotEncoder().fit([[1], [2]]).transform([[3]])).toThrow(
      /unknown category 3 \(known: 1, 2\)/,
    );
    const ignore = new OneHotEncoder({ handleUnknown: 'ignore' }).fit([[1], [2]]);
    expect(Array.from(ignore.transform([[3]])[0]!)).toEqual([0, 0]);
  });

  it('keeps a missing-value category last, saved as null', () => {
    const encoder = new OneHotEncoder().fit([[2], [NaN_], [1]]);
    expect(encoder.featureNamesOut(['ca'])).toEqual(['ca=1', 'ca=2', 'ca=nan']);
    expect(Array.from(encoder.transform([[null]])[0]!)).toEqual([0, 0, 1]);
    const json = encoder.toJSON();
    expect(json.categories).toEqual([[1, 2, null]]);
    expect(Array.from(OneHotEncoder.load(json).transform([[NaN_]])[0]!)).toEqual([0, 0, 1]);
  });

  it('refuses malformed JSON and unknown kinds', () => {
    expect(() =>
      OneHotEncoder.load({
        kind: 'one-hot-encoder',
        formatVersion: 1,
        handleUnknown: 'error',
        categories: [[]],
      }),
    ).toThrow(/non-empty lists/);
    expect(() => loadTransformer({ kind: 'eval', formatVersion: 1 })).toThrow(
      /unknown transformer kind "eval"/,
    );
    expect(() => loadTransformer({ kind: '__proto__', formatVersion: 1 })).toThrow(
      /unknown transformer kind/,
    );
  });
});
