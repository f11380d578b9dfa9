import { loadDataset } from '@heart/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { ColumnPipeline } from './column-pipeline.js';
import { PreprocessingError } from './errors.js';
import {
  createHeartPreprocessor,
  HEART_CATEGORICAL_COLUMNS,
  HEART_NUMERIC_COLUMNS,
} from './heart-preprocessor.js';
import { OneHotEncoder } from './one-hot-encoder.js';
import { SimpleImputer } from './simple-imputer.js';
import { StandardScaler } from './standard-scaler.js';
import { baseline, CLEVELAND_FILE, fromSklearnName } from './test-support/reference.js';
import type { Transformer } from './transformer.js';

type Row = Record<string, number | null | string>;
let rows: Row[];
let train: Row[];
let test: Row[];
const reference = baseline.fitted_preprocessor;

beforeAll(async () => {
  rows = (await loadDataset(CLEVELAND_FILE)).rows as unknown as Row[];
  train = baseline.split.train_index.map((index) => rows[index]!);
  test = baseline.split.test_index.map((index) => rows[index]!);
});

function thrown(fn: () => unknown): PreprocessingError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PreprocessingError);
    return error as PreprocessingError;
  }
  throw new Error('expected a PreprocessingError');
}

describe('the heart preprocessor against scikit-learn (tolerance 1e-9)', () => {
  it('learns the same medians, means, scales, modes and categories from the reference training rows', () => {
    const pipeline = createHeartPreprocessor().fit(train);
    const [numeric, categorical] = pipeline.groups;
    const [median, scaler] = numeric!.steps as [SimpleImputer, StandardScaler];
    const [mode, encoder] = categorical!.steps as [SimpleImputer, OneHotEncoder];
    expect(numeric!.columns).toEqual(reference.numeric_features);
    expect(categorical!.columns).toEqual(reference.categorical_features);
    reference.numeric_features.forEach((column, j) => {
      expect(median.statistics[j]).toBeCloseTo(reference.median[column]!, 9);
      expect(scaler.mean[j]).toBeCloseTo(reference.scaler_mean[column]!, 9);
      expect(scaler.scale[j]).toBeCloseTo(reference.scaler_scale[column]!, 9);
    });
    reference.categorical_features.forEach((column, j) => {
      expect(mode.statistics[j]).toBe(reference.most_frequent[column]);
      expect(encoder.categories[j]).toEqual(reference.onehot_categories[column]);
    });
  });

  it('names the same 28 output columns, in scikit-learn order', () => {
    const pipeline = createHeartPreprocessor().fit(train);
    expect(pipeline.featureNames).toEqual(reference.feature_names_out.map(fromSklearnName));
    expect(pipeline.featureNames.slice(0, 2)).toEqual(['age', 'trestbps']);
    expect(pipeline.featureNames.at(-1)).toBe('thal=7');
  });

  it('transforms the test rows as the fitted parameters say, imputing missing ca and thal', () => {
    const pipeline = createHeartPreprocessor().fit(train);
    const features = pipeline.transform(test);
    expect(features).toHaveLength(61);
    const names = pipeline.featureNames;
    features.forEach((vector, i) => {
      expect(vector).toHaveLength(28);
      const row = test[i]!;
      for (const column of reference.numeric_features) {
        const raw = (row[column] as number | null) ?? reference.median[column]!;
        const expected = (raw - reference.scaler_mean[column]!) / reference.scaler_scale[column]!;
        expect(vector[names.indexOf(column)]).toBeCloseTo(expected, 9);
      }
      for (const column of reference.categorical_features) {
        const value = (row[column] as number | null) ?? reference.most_frequent[column]!;
        const hot = names.filter((_, j) => names[j]!.startsWith(`${column}=`) && vector[j] === 1);
        expect(hot).toEqual([`${column}=${value}`]);
      }
    });
    // The reference split puts row 302 (ca missing) in the test set: it must get the mode, 0.
    const withMissingCa = baseline.split.test_index.indexOf(302);
    expect(test[withMissingCa]!.ca).toBeNull();
    expect(features[withMissingCa]![names.indexOf('ca=0')]).toBe(1);
  });
});

describe('ColumnPipeline', () => {
  it('saves to JSON and loads back to identical output', () => {
    const pipeline = createHeartPreprocessor().fit(train);
    const text = JSON.stringify(pipeline);
    const restored = ColumnPipeline.load(JSON.parse(text));
    expect(JSON.stringify(restored)).toBe(text);
    expect(restored.transform(test)).toEqual(pipeline.transform(test));
    expect(ColumnPipeline.load(text).featureNames).toEqual(pipeline.featureNames);
  });

  it('refuses unknown kinds, versions, step kinds and inconsistent state', () => {
    const json = createHeartPreprocessor().fit(train).toJSON();
    expect(thrown(() => ColumnPipeline.load({ ...json, kind: 'random-forest' })).message).toBe(
      'expected kind "column-pipeline", got "random-forest"',
    );
    expect(thrown(() => ColumnPipeline.load({ ...json, formatVersion: 2 })).code).toBe(
      'INVALID_JSON',
    );
    const badStep = structuredClone(json);
    badStep.groups[0]!.steps[0] = { kind: 'pickle', formatVersion: 1 };
    expect(thrown(() => ColumnPipeline.load(badStep)).message).toContain(
      'unknown transformer kind "pickle"',
    );
    const badNames = { ...json, featureNames: [...json.featureNames].reverse() };
    expect(thrown(() => ColumnPipeline.load(badNames)).message).toContain(
      'featureNames do not match',
    );
    const badScale = structuredClone(json);
    (badScale.groups[0]!.steps[1] as unknown as { scale: number[] }).scale[0] = -1;
    expect(thrown(() => ColumnPipeline.load(badScale)).code).toBe('INVALID_JSON');
    expect(thrown(() => ColumnPipeline.load('{not json')).code).toBe('INVALID_JSON');
    expect(thrown(() => ColumnPipeline.load(null)).code).toBe('INVALID_JSON');
  });

  it('validates rows and names the row and column at fault', () => {
    const pipeline = createHeartPreprocessor().fit(train);
    const { chol: _, ...withoutChol } = test[0]!;
    const missing = thrown(() => pipeline.transform([test[0]!, withoutChol]));
    expect(missing.code).toBe('MISSING_COLUMN');
    expect(missing.message).toBe('ColumnPipeline.transform: row 1 has no column "chol"');
    const wrongType = thrown(() => pipeline.transform([{ ...test[0]!, age: '63' }]));
    expect(wrongType.code).toBe('INVALID_INPUT');
    expect(wrongType.message).toBe(
      'ColumnPipeline.transform: row 0 column "age": expected a number or null, got the string "63"',
    );
    expect(
      thrown(() => pipeline.transform([{ ...test[0]!, chol: Number.POSITIVE_INFINITY }])).message,
    ).toContain('Infinity is not a finite number');
    expect(thrown(() => pipeline.transform([])).code).toBe('INVALID_INPUT');
    expect(thrown(() => pipeline.transform('rows' as never)).code).toBe('INVALID_INPUT');
    expect(thrown(() => pipeline.transform([42 as never])).message).toContain('row 0 is number 42');
    expect(thrown(() => createHeartPreprocessor().transform(test)).code).toBe('NOT_FITTED');
    expect(createHeartPreprocessor().fitted).toBe(false);
    expect(pipeline.fitted).toBe(true);
    expect(ColumnPipeline.load(pipeline.toJSON()).fitted).toBe(true);
  });

  it('accepts arrays in inputColumns order, rectangular only', () => {
    const pipeline = createHeartPreprocessor().fit(train);
    const columns = pipeline.inputColumns;
    expect(columns).toEqual([...HEART_NUMERIC_COLUMNS, ...HEART_CATEGORICAL_COLUMNS]);
    const asArrays = test.map((row) => columns.map((column) => row[column] as number | null));
    expect(pipeline.transform(asArrays)).toEqual(pipeline.transform(test));
    const ragged = thrown(() => pipeline.transform([asArrays[0]!.slice(1)]));
    expect(ragged.code).toBe('SHAPE_MISMATCH');
  });

  it('transformRow gives what transform gives, and NaN counts as missing', () => {
    const pipeline = createHeartPreprocessor().fit(train);
    expect(pipeline.transformRow(test[3]!)).toEqual(pipeline.transform([test[3]!])[0]);
    const nanRow = { ...test[3]!, ca: Number.NaN, thal: null };
    const nullRow = { ...test[3]!, ca: null, thal: null };
    expect(pipeline.transformRow(nanRow)).toEqual(pipeline.transformRow(nullRow));
  });

  it("transformRow into a caller's buffer: the same bits for every row, the buffer returned, a wrong one refused", () => {
    const pipeline = createHeartPreprocessor().fit(train);
    const buffer = new Float64Array(pipeline.featureNames.length);
    for (const row of [...test, { ...test[0]!, ca: null, thal: null }, { ...test[1]!, thal: 5 }]) {
      expect(pipeline.transformRow(row, buffer)).toBe(buffer);
      // Every value rewritten: nothing of the previous row stays (one-hot zeros included).
      expect(Array.from(buffer)).toEqual(Array.from(pipeline.transform([row])[0]!));
    }
    expect(thrown(() => pipeline.transformRow(test[0]!, new Float64Array(27))).code).toBe(
      'SHAPE_MISMATCH',
    );
    expect(
      thrown(() => pipeline.transformRow(test[0]!, new Array(28).fill(0) as never)).message,
    ).toMatch(/out must be a Float64Array of 28 values/);
  });

  it('transformRow runs steps without transformRowInto, and follows a refit to another width', () => {
    // A step with only the allocating row form: doubles every value.
    const double: Transformer = {
      kind: 'double',
      fit() {
        return this;
      },
      transform: (matrix) =>
        (matrix as number[][]).map((row) => Float64Array.from(row, (v) => 2 * v)),
      fitTransform(matrix) {
        return this.transform(matrix);
      },
      transformRow: (row) => Float64Array.from(row, (v) => 2 * v),
      featureNamesOut: (names) => [...names],
      toJSON: () => ({ kind: 'double', formatVersion: 1 }),
    };
    const pipeline = new ColumnPipeline({
      groups: [
        { name: 'twice', columns: ['age', 'chol'], steps: [double, new StandardScaler()] },
        { name: 'last', columns: ['trestbps'], steps: [new SimpleImputer(), double] },
        { name: 'onehot', columns: ['cp'], steps: [new OneHotEncoder()] },
      ],
    }).fit(train);
    const buffer = new Float64Array(7);
    for (const row of test.slice(0, 5)) {
      expect(Array.from(pipeline.transformRow(row, buffer))).toEqual(
        Array.from(pipeline.transform([row])[0]!),
      );
    }
    // Refit on rows with two chest-pain types only: 5 outputs now, and the row form follows.
    const narrow = train.filter((row) => row.cp === 3 || row.cp === 4);
    pipeline.fit(narrow);
    expect(pipeline.featureNames).toHaveLength(5);
    expect(Array.from(pipeline.transformRow(test[0]!))).toEqual(
      Array.from(pipeline.transform([test[0]!])[0]!),
    );
    expect(thrown(() => pipeline.transformRow(test[0]!, buffer)).code).toBe('SHAPE_MISMATCH');
  });

  it('transformRow, featureNames and transformColumns follow a step refit behind the pipeline (direct, or shared)', () => {
    const shared = new OneHotEncoder();
    const options = { groups: [{ name: 'cp', columns: ['cp'], steps: [shared] }] };
    const a = new ColumnPipeline(options).fit(train);
    const b = new ColumnPipeline(options);
    const buffer = new Float64Array(4);
    expect(Array.from(a.transformRow(test[0]!, buffer))).toEqual(
      Array.from(a.transform([test[0]!])[0]!),
    );
    // b refits the shared encoder on two chest-pain types: a's row form follows, as transform does.
    b.fit(train.filter((row) => row.cp === 3 || row.cp === 4));
    const row = { ...test[0]!, cp: 4 };
    expect(Array.from(a.transformRow(row))).toEqual(Array.from(a.transform([row])[0]!));
    expect(a.transformRow(row)).toHaveLength(2);
    // The names and the column form follow too (as scikit-learn's get_feature_names_out).
    const columns = { cp: [4, 3, 3] };
    const asRows = a.transform([4, 3, 3].map((cp) => ({ ...test[0]!, cp })));
    expect(a.featureNames).toEqual(['cp=3', 'cp=4']);
    expect(a.transformColumns(columns)).toEqual({
      data: Float64Array.from(asRows.flatMap((r) => Array.from(r))),
      rows: 3,
      columns: 2,
    });
    // A direct refit of a step, back to four types.
    a.groups[0]!.steps[0]!.fit(train.map((r) => [r.cp as number]));
    expect(Array.from(a.transformRow(row, buffer))).toEqual(Array.from(a.transform([row])[0]!));
    expect(a.featureNames).toEqual(['cp=1', 'cp=2', 'cp=3', 'cp=4']);
    expect(a.transformColumns(columns).columns).toBe(4);
  });

  it('transformColumns refuses a step whose width changes from one block of rows to the next', () => {
    // A step that writes one column for the first 8,192 rows and two after: a broken custom step.
    const uneven: Transformer = {
      kind: 'uneven',
      fit() {
        return this;
      },
      transform: (matrix) => (matrix as number[][]).map((row) => Float64Array.from(row)),
      fitTransform(matrix) {
        return this.transform(matrix);
      },
      transformRow: (row) => Float64Array.from(row),
      transformColumns: (columns, firstRow = 0) =>
        firstRow === 0 ? [...columns] : [...columns, ...columns],
      featureNamesOut: (names) => [...names],
      toJSON: () => ({ kind: 'uneven', formatVersion: 1 }),
    };
    const pipeline = new ColumnPipeline({
      groups: [{ name: 'age', columns: ['age'], steps: [uneven] }],
    }).fit(train);
    const age = new Float64Array(10_000).fill(50);
    expect(pipeline.transformColumns({ age: age.subarray(0, 100) }).columns).toBe(1);
    expect(thrown(() => pipeline.transformColumns({ age })).code).toBe('SHAPE_MISMATCH');
  });

  it('encodes a category unseen in training as all zeros', () => {
    const pipeline = createHeartPreprocessor().fit(train);
    const names = pipeline.featureNames;
    const vector = pipeline.transformRow({ ...test[0]!, thal: 5 });
    expect(names.filter((name, j) => name.startsWith('thal=') && vector[j] !== 0)).toEqual([]);
  });

  it('takes column lists and steps as options', () => {
    const pipeline = new ColumnPipeline({
      groups: [
        {
          name: 'scaled',
          columns: ['age', 'chol'],
          steps: [new SimpleImputer({ strategy: 'mean' }), new StandardScaler()],
        },
        { name: 'onehot', columns: ['cp'], steps: [new OneHotEncoder()] },
        { name: 'raw', columns: ['oldpeak'], steps: [] },
      ],
    }).fit(train);
    expect(pipeline.featureNames).toEqual([
      'age',
      'chol',
      'cp=1',
      'cp=2',
      'cp=3',
      'cp=4',
      'oldpeak',
    ]);
    expect(pipeline.transformRow(test[0]!)[6]).toBe(test[0]!.oldpeak);
    const custom = createHeartPreprocessor({
      numericColumns: ['age'],
      categoricalColumns: ['sex'],
    }).fit(train);
    expect(custom.featureNames).toEqual(['age', 'sex=0', 'sex=1']);
    expect(() => new ColumnPipeline({ groups: [] })).toThrow(PreprocessingError);
    expect(() => new ColumnPipeline({ groups: [{ name: 'a', columns: [], steps: [] }] })).toThrow(
      /non-empty list of column names/,
    );
  });
});
