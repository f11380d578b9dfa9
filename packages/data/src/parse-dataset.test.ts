import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UCI_DIR } from '@heart/test-support';
import { describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { formatHeartCsv } from './format-heart-csv.js';
import { parseDataset } from './parse-dataset.js';

const ROW_1 = '63.0,1.0,1.0,145.0,233.0,1.0,2.0,150.0,0.0,2.3,3.0,0.0,6.0,0';
const ROW_2 = '67.0,1.0,4.0,160.0,286.0,0.0,2.0,108.0,1.0,1.5,2.0,3.0,3.0,2';

function parseError(text: string): DataError {
  try {
    parseDataset(text, { file: 'broken.data' });
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error('expected parseDataset to throw');
}

describe('parseDataset', () => {
  it('reads the real Cleveland file: 303 rows, 6 missing, 139 positive', async () => {
    const bytes = await readFile(join(UCI_DIR, 'processed.cleveland.data'));
    const { rows, summary } = parseDataset(bytes, { file: 'processed.cleveland.data' });
    expect(summary).toMatchObject({
      rows: 303,
      positives: 139,
      negatives: 164,
      sites: { cleveland: 303 },
    });
    expect(summary.sha256).toBe('a74b7efa387bc9d108d7d0115d831fe9b414b29ae7124f331b622b4efa0427c8');
    const missing = Object.entries(summary.missing).filter(([, count]) => count > 0);
    expect(missing).toEqual([
      ['ca', 4],
      ['thal', 2],
    ]);
    expect(rows[0]).toEqual({
      age: 63,
      sex: 1,
      cp: 1,
      trestbps: 145,
      chol: 233,
      fbs: 1,
      restecg: 2,
      thalach: 150,
      exang: 0,
      oldpeak: 2.3,
      slope: 3,
      ca: 0,
      thal: 6,
      num: 0,
      target: 0,
      site: 'cleveland',
    });
    // Data lines 167, 193, 288, 303 lack ca; 88 and 267 lack thal (PROVENANCE.md).
    expect([166, 192, 287, 302].map((index) => rows[index]!.ca)).toEqual([null, null, null, null]);
    expect([87, 266].map((index) => rows[index]!.thal)).toEqual([null, null]);
  });

  it('reads the header CSV form to the same rows', async () => {
    const processed = parseDataset(await readFile(join(UCI_DIR, 'processed.cleveland.data')));
    const csv = parseDataset(await readFile(join(UCI_DIR, 'heart_disease_raw.csv')));
    expect(csv.rows).toEqual(processed.rows);
    expect(formatHeartCsv(processed.rows)).toBe(
      await readFile(join(UCI_DIR, 'heart_disease_raw.csv'), 'utf8'),
    );
  });

  it('treats chol = 0 and trestbps = 0 as missing (Switzerland, VA)', async () => {
    const swiss = parseDataset(await readFile(join(UCI_DIR, 'processed.switzerland.data')), {
      site: 'switzerland',
    });
    expect(swiss.summary.missing.chol).toBe(123);
    const va = parseDataset(await readFile(join(UCI_DIR, 'processed.va.data')), {
      site: 'va',
    });
    expect(va.summary.missing.chol).toBe(7 + 49);
    expect(va.summary.missing.trestbps).toBe(56 + 1);
    expect(va.rows.every((row) => row.site === 'va')).toBe(true);
  });

  it('reads numbers leniently: 63, 63.0, .7, -0.5, and NaN or empty as missing', () => {
    const { rows } = parseDataset(
      ['32,1,1,95,0,?,0,127,0,.7,1,?,?,1', '63.0,1.0,4.0,,NaN,0,1,112,1,-0.5,2,?,?,2'].join('\n'),
    );
    expect(rows[0]).toMatchObject({
      age: 32,
      chol: null,
      fbs: null,
      oldpeak: 0.7,
      ca: null,
      target: 1,
    });
    expect(rows[1]).toMatchObject({ age: 63, trestbps: null, chol: null, oldpeak: -0.5, num: 2 });
  });

  it('accepts CRLF line ends, a BOM and blank lines', () => {
    const { rows } = parseDataset(`\ufeff${ROW_1}\r\n\r\n${ROW_2}\r\n`);
    expect(rows).toHaveLength(2);
    expect(rows[1]!.num).toBe(2);
  });

  it('lists every problem with line, column and value, and returns nothing', () => {
    const error = parseError(
      [
        ROW_1,
        '67.0,1.0,4.0,160.0',
        ROW_2.replace('4.0', 'four'),
        ROW_2.replace(',3.0,2', ',5.0,2'),
      ].join('\n'),
    );
    expect(error.code).toBe('INVALID_DATA');
    expect(error.issues).toEqual([
      {
        file: 'broken.data',
        line: 2,
        value: '67.0,1.0,4.0,160.0',
        message: 'expected 14 fields, found 4',
      },
      { file: 'broken.data', line: 3, column: 'cp', value: 'four', message: 'not a number' },
      { file: 'broken.data', line: 4, column: 'thal', value: '5.0', message: 'not one of 3, 6, 7' },
    ]);
    expect(error.message).toContain('broken.data: 3 problems');
    expect(error.message).toContain('line 3 column cp value "four": not a number');
  });

  it('checks ranges and required columns', () => {
    const error = parseError([ROW_1.replace('63.0', '630'), ROW_1.replace(/,0$/, ',?')].join('\n'));
    expect(error.issues.map((issue) => [issue.line, issue.column, issue.message])).toEqual([
      [1, 'age', 'outside 1..120'],
      [2, 'num', 'missing value in a required column'],
    ]);
  });

  it('refuses an empty file and a header without rows', () => {
    expect(parseError('').code).toBe('EMPTY_FILE');
    expect(parseError('\n\n').code).toBe('EMPTY_FILE');
    expect(
      parseError('age,sex,cp,trestbps,chol,fbs,restecg,thalach,exang,oldpeak,slope,ca,thal,num\n')
        .code,
    ).toBe('EMPTY_FILE');
  });

  it('checks the header: unknown, duplicate and missing columns', () => {
    const error = parseError(
      'age,sex,cp,trestbps,chol,fbs,restecg,thalach,exang,oldpeak,slope,ca,ca,weight\n1,2\n',
    );
    expect(error.issues.map((issue) => issue.message)).toEqual([
      'column "ca" appears twice',
      'unknown column "weight"',
      'header lacks column "thal"',
      'header lacks column "num"',
    ]);
  });

  it('reads header columns in any order', () => {
    const { rows } = parseDataset(
      'num,age,sex,cp,trestbps,chol,fbs,restecg,thalach,exang,oldpeak,slope,ca,thal\n1,50,0,2,120,200,0,0,150,0,1,1,0,3\n',
    );
    expect(rows[0]).toMatchObject({ num: 1, age: 50, thal: 3, target: 1 });
  });

  it('reports broken CSV quoting with its line', () => {
    const error = parseError(`${ROW_1}\n"63.0,1.0\n`);
    expect(error.code).toBe('INVALID_DATA');
    expect(error.message).toMatch(/broken\.data:2: not valid CSV/);
  });
});
