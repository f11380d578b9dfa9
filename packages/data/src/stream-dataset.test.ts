import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UCI_DIR } from '@heart/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataError } from './errors.js';
import { loadDataset } from './load-dataset.js';
import { parseDataset } from './parse-dataset.js';
import { UCI_COLUMNS } from './schema.js';
import { streamCsv } from './stream-csv.js';
import { streamDataset } from './stream-dataset.js';

const SITES = ['cleveland', 'hungarian', 'switzerland', 'va'].map((site) =>
  join(UCI_DIR, `processed.${site}.data`),
);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heart-stream-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<DataError> {
  return (await promise.then(
    () => {
      throw new Error('expected a DataError');
    },
    (error: unknown) => error,
  )) as DataError;
}

describe('streamDataset', () => {
  it('reads the four sites into the columns loadDataset reads as rows, with its summary', async () => {
    const streamed = await streamDataset({ paths: SITES });
    const { rows, summary } = await loadDataset(SITES);
    expect(streamed.rows).toBe(920);
    expect(streamed.summary).toEqual(summary);
    for (const name of UCI_COLUMNS) {
      const expected = Float64Array.from(rows, (row) => row[name] ?? Number.NaN);
      expect(streamed.columns[name]).toEqual(expected);
    }
    expect(Array.from(streamed.target)).toEqual(rows.map((row) => row.target));
  });

  it('reads the header CSV (any column order), BOM, CRLF, blank lines and quoted cells', async () => {
    const csv = readFileSync(join(UCI_DIR, 'heart_disease_raw.csv'), 'utf8');
    const [header, ...lines] = csv.trim().split('\n');
    const names = header!.split(',');
    const order = [...names.keys()].reverse();
    const reversed = [
      order.map((k) => names[k]).join(','),
      ...lines.map((line) => {
        const cells = line.split(',');
        return order.map((k) => (k === 0 ? `"${cells[k]}"` : cells[k])).join(',');
      }),
    ];
    const path = join(dir, 'reversed.csv');
    await writeFile(path, `\uFEFF${reversed.join('\r\n\r\n')}\r\n`);
    const streamed = await streamDataset({ paths: path });
    const { rows } = parseDataset(csv);
    expect(streamed.rows).toBe(303);
    expect(streamed.columns.thal).toEqual(Float64Array.from(rows, (row) => row.thal ?? Number.NaN));
    expect(streamed.columns.age).toEqual(Float64Array.from(rows, (row) => row.age));
  });

  it('reports every problem as parseDataset does: the same lines, columns, values and messages', async () => {
    const text = [
      '63,1,1,145,233,1,2,150,0,2.3,3,0,6,0',
      '67,1,4,160,286,0,2,108,1,1.5,2,3,9,2',
      '',
      '41,0,2,130,204,0,2,172,0,1.4,1,0,3',
      'x,1,4,999,229,0,2,129,1,2.6,2,2,7,1',
      '62,?,4,140,268,0,2,160,0,3.6,3,2,3,3',
    ].join('\n');
    const path = join(dir, 'bad.data');
    await writeFile(path, text);
    const expected = (() => {
      try {
        parseDataset(text, { file: path });
      } catch (error) {
        return error as DataError;
      }
      throw new Error('expected parseDataset to fail');
    })();
    const error = await failure(streamDataset({ paths: path }));
    expect(error.code).toBe('INVALID_DATA');
    expect(error.issues).toEqual(expected.issues);
    expect(error.message).toBe(expected.message);
    expect(error.issues.map((issue) => `${issue.line}:${issue.column ?? ''}`)).toEqual([
      '2:thal',
      '4:',
      '5:age',
      '5:trestbps',
      '6:sex',
    ]);
  });

  it('says which file is missing or empty', async () => {
    expect((await failure(streamDataset({ paths: join(dir, 'nope.data') }))).code).toBe(
      'FILE_NOT_FOUND',
    );
    const empty = join(dir, 'empty.data');
    await writeFile(empty, '\n\n');
    expect((await failure(streamDataset({ paths: empty }))).code).toBe('EMPTY_FILE');
    expect((await failure(streamDataset({ paths: [] }))).code).toBe('INVALID_OPTION');
  });

  it('reads 30,000 seeded rows in 1 MiB chunks to the values parseDataset reads', async () => {
    const lines = SITES.flatMap((file) => readFileSync(file, 'utf8').trim().split('\n'));
    let seed = 7;
    const pick = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return lines[seed % lines.length]!;
    };
    const text = `${Array.from({ length: 30_000 }, pick).join('\n')}\n`;
    const path = join(dir, 'big.data');
    await writeFile(path, text);
    const streamed = await streamDataset({ paths: path });
    const { rows } = parseDataset(text);
    expect(streamed.rows).toBe(30_000);
    expect(streamed.columns.oldpeak).toEqual(
      Float64Array.from(rows, (row) => row.oldpeak ?? Number.NaN),
    );
    expect(streamed.columns.ca).toEqual(Float64Array.from(rows, (row) => row.ca ?? Number.NaN));
  });
});

describe('streamCsv', () => {
  const schema = [
    { name: 'weight', kind: 'numeric' as const, min: 0, max: 300, nullable: false },
    { name: 'smoker', kind: 'categorical' as const, values: [0, 1], nullable: true },
  ];

  it('reads the schema columns of a header CSV, any order, other columns skipped', async () => {
    const path = join(dir, 'generic.csv');
    await writeFile(path, 'id,smoker,weight\n1,1,70.5\n2,NA,"81"\n3,0,1e2\n');
    const { rows, columns, summary } = await streamCsv({ path, schema });
    expect(rows).toBe(3);
    expect(Array.from(columns.weight!)).toEqual([70.5, 81, 100]);
    expect(Array.from(columns.smoker!)).toEqual([1, Number.NaN, 0]);
    expect(summary.missing).toEqual({ weight: 0, smoker: 1 });
  });

  it('names the line and column of every bad value, and a header that lacks a column', async () => {
    const path = join(dir, 'generic-bad.csv');
    await writeFile(path, 'weight,smoker\n70,2\n,1\n-3,0\n');
    const error = await failure(streamCsv({ path, schema }));
    expect(error.issues.map((issue) => [issue.line, issue.column, issue.message])).toEqual([
      [2, 'smoker', 'not one of 0, 1'],
      [3, 'weight', 'missing value in a required column'],
      [4, 'weight', 'outside 0..300'],
    ]);
    const header = join(dir, 'generic-header.csv');
    await writeFile(header, 'weight,weight\n1,2\n');
    const headerError = await failure(streamCsv({ path: header, schema }));
    expect(headerError.issues.map((issue) => issue.message)).toEqual([
      'column "weight" appears twice',
      'header lacks column "smoker"',
    ]);
    expect((await failure(streamCsv({ path, schema: [] }))).code).toBe('INVALID_OPTION');
  });
});
