import { UCI_DIR } from '@heart/test-support';
import { describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { formatHeartCsv } from './format-heart-csv.js';
import { loadDataset } from './load-dataset.js';
import { parseDataset } from './parse-dataset.js';
import { streamDataset } from './stream-dataset.js';

// From an audit of the public API with bad arguments: each was a TypeError
// ("options.paths is not iterable", Node's ERR_INVALID_ARG_TYPE) or an unknown site kept.
const ROW = '63,1,1,145,233,1,2,150,0,2.3,3,0,6,0\n';

async function dataError(promise: Promise<unknown>): Promise<DataError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DataError);
  return error as DataError;
}

describe('bad input to the loaders', () => {
  it.each([
    [undefined, 'loadDataset needs a path, a list of paths or { paths }, got undefined'],
    [{}, 'loadDataset: paths must be a file path or a list of file paths, got undefined'],
    [{ paths: [42] }, 'loadDataset: paths[0] must be a non-empty file path, got number'],
  ])('loadDataset(%j) is INVALID_OPTION', async (source, message) => {
    const error = await dataError(loadDataset(source as never));
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toBe(message);
  });

  it('streamDataset({}) is INVALID_OPTION', async () => {
    const error = await dataError(streamDataset({} as never));
    expect(error).toMatchObject({ code: 'INVALID_OPTION' });
    expect(error.message).toContain('streamDataset: paths must be');
  });

  it('refuses an unknown site, as downloadDataset does', async () => {
    const paths = `${UCI_DIR}/processed.cleveland.data`;
    const error = await dataError(loadDataset({ paths, site: 'mars' as never }));
    expect(error.message).toContain('unknown site "mars"');
    expect(() => parseDataset(ROW, { site: 'mars' as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });

  it.each([
    [undefined, 'undefined'],
    [null, 'null'],
    [{}, 'Object'],
  ])('parseDataset(%j) is INVALID_OPTION naming what it got', (input, got) => {
    expect(() => parseDataset(input as never)).toThrow(
      expect.objectContaining({
        name: 'DataError',
        code: 'INVALID_OPTION',
        message: `parseDataset: input must be the file's text (a string) or bytes (a Uint8Array), got ${got}`,
      }),
    );
    expect(() => parseDataset(ROW, null as never)).not.toThrow();
  });
});

describe('bad rows to formatHeartCsv', () => {
  const row = parseDataset(ROW).rows[0]!;
  const refusal = (rows: unknown) => dataError((async () => formatHeartCsv(rows as never))());

  it('a missing or non-numeric cell is INVALID_DATA naming the row and column, not "undefined" in the CSV', async () => {
    for (const [rows, where] of [
      [[{}], 'row 0 (line 2 of the CSV) column age: undefined'],
      [[row, { ...row, chol: '233' }], 'row 1 (line 3 of the CSV) column chol: "233"'],
      [[{ ...row, oldpeak: Number.NaN }], 'column oldpeak: NaN'],
      [[row, null], 'row 1 (line 3 of the CSV): null is not a row object'],
    ] as const) {
      const error = await refusal(rows);
      expect(error.code).toBe('INVALID_DATA');
      expect(error.message).toContain(where);
      expect(error.issues).toHaveLength(1);
    }
    expect((await refusal('rows')).code).toBe('INVALID_OPTION');
    // Missing as null stays an empty cell.
    expect(formatHeartCsv([{ ...row, ca: null }]).split('\n')[1]).toBe(
      '63,1,1,145,233,1,2,150,0,2.3,3,,6,0',
    );
  });
});
