import { loadDataset } from '@heart/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { ColumnPipeline } from './column-pipeline.js';
import { PreprocessingError } from './errors.js';
import { createHeartPreprocessor } from './heart-preprocessor.js';
import { StandardScaler } from './standard-scaler.js';
import { CLEVELAND_FILE } from './test-support/reference.js';
import type { Transformer } from './transformer.js';

type Row = Record<string, number | null>;
let rows: Row[];
let columns: Record<string, Float64Array>;
beforeAll(async () => {
  // All four sites: missing values in most columns.
  const files = ['cleveland', 'hungarian', 'switzerland', 'va'].map((site) =>
    CLEVELAND_FILE.replace('cleveland', site),
  );
  rows = (await loadDataset(files)).rows as unknown as Row[];
  const names = Object.keys(rows[0]!).filter((name) => name !== 'site');
  columns = Object.fromEntries(
    names.map((name) => [name, Float64Array.from(rows, (row) => row[name] ?? Number.NaN)]),
  );
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

describe('ColumnPipeline: the column form', () => {
  it('fits the same state and gives the same numbers as the rows, as one row-major matrix', () => {
    const byRows = createHeartPreprocessor();
    const expected = byRows.fitTransform(rows);
    const byColumns = createHeartPreprocessor();
    const matrix = byColumns.fitTransformColumns(columns);
    expect(JSON.stringify(byColumns)).toBe(JSON.stringify(byRows));
    expect(matrix.rows).toBe(rows.length);
    expect(matrix.columns).toBe(expected[0]!.length);
    expected.forEach((row, i) => {
      expect(matrix.data.subarray(i * matrix.columns, (i + 1) * matrix.columns)).toEqual(row);
    });
    const again = byRows.transformColumns(columns);
    expect(again.data).toEqual(matrix.data);
  });

  it('takes plain arrays with null for missing, and a custom step without the column form', () => {
    const plain = Object.fromEntries(
      Object.entries(columns).map(([name, values]) => [
        name,
        Array.from(values, (value) => (Number.isNaN(value) ? null : value)),
      ]),
    );
    const matrix = createHeartPreprocessor().fitTransformColumns(plain);
    expect(matrix.data).toEqual(createHeartPreprocessor().fitTransformColumns(columns).data);
    const scaler = new StandardScaler();
    const rowsOnly: Transformer = {
      kind: 'rows-only',
      fit: (input) => {
        scaler.fit(input);
        return rowsOnly;
      },
      transform: (input) => scaler.transform(input),
      fitTransform: (input) => scaler.fitTransform(input),
      transformRow: (row) => scaler.transformRow(row),
      featureNamesOut: (names) => [...names],
      toJSON: () => scaler.toJSON(),
    };
    const custom = new ColumnPipeline({
      groups: [{ name: 'num', columns: ['age', 'thalach'], steps: [rowsOnly] }],
    });
    const viaColumns = custom.fitTransformColumns(columns);
    const viaRows = new ColumnPipeline({
      groups: [{ name: 'num', columns: ['age', 'thalach'], steps: [new StandardScaler()] }],
    }).fitTransform(rows);
    expect(viaColumns.data.subarray(0, 2)).toEqual(viaRows[0]);
  });

  it('finds no column named `constructor` in what every object inherits', () => {
    const pipeline = () =>
      new ColumnPipeline({
        groups: [{ name: 'num', columns: ['age', 'constructor'], steps: [new StandardScaler()] }],
      });
    expect(thrown(() => pipeline().fitColumns({ age: [63, 40] })).message).toBe(
      'ColumnPipeline.fitColumns: no column "constructor"',
    );
    const rowsFit = () => pipeline().fit([{ age: 63 }]);
    expect(thrown(rowsFit).code).toBe('MISSING_COLUMN');
    expect(thrown(rowsFit).message).toContain('row 0 has no column "constructor"');
    const fitted = pipeline().fit([
      { age: 63, constructor: 1 },
      { age: 40, constructor: 3 },
    ]);
    expect([...fitted.transformRow({ age: 63, constructor: 1 })]).toEqual([1, -1]);
  });

  it('refuses absent, ragged, infinite or non-numeric columns, naming them', () => {
    const pipeline = createHeartPreprocessor();
    const { age, ...noAge } = columns;
    expect(thrown(() => pipeline.fitColumns(noAge)).message).toBe(
      'ColumnPipeline.fitColumns: no column "age"',
    );
    expect(
      thrown(() => pipeline.fitColumns({ ...columns, chol: columns.chol!.subarray(1) })).code,
    ).toBe('SHAPE_MISMATCH');
    const infinite = Float64Array.from(age!);
    infinite[5] = Number.POSITIVE_INFINITY;
    expect(thrown(() => pipeline.fitColumns({ ...columns, age: infinite })).message).toContain(
      'row 5 column "age": Infinity is not a finite number',
    );
    expect(
      thrown(() => pipeline.fitColumns({ ...columns, sex: ['x'] as unknown as number[] })).code,
    ).toBe('SHAPE_MISMATCH');
    // The right length with one value that is not a number: refused, naming row and column.
    const text = Array.from(columns.sex!) as unknown[];
    text[3] = 'x';
    const notNumber = thrown(() => pipeline.fitColumns({ ...columns, sex: text as number[] }));
    expect(notNumber.code).toBe('INVALID_INPUT');
    expect(notNumber.message).toContain('row 3 column "sex"');
    expect(thrown(() => createHeartPreprocessor().transformColumns(columns)).code).toBe(
      'NOT_FITTED',
    );
  });
});
