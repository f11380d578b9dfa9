import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UCI_DIR } from '@heart/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataError } from './errors.js';
import { featureFields } from './input-schema.js';
import { loadDataset } from './load-dataset.js';
import { FEATURE_COLUMNS } from './schema.js';

const ALL_SITES = ['cleveland', 'hungarian', 'switzerland', 'va'].map((site) =>
  join(UCI_DIR, `processed.${site}.data`),
);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heart-load-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadDataset', () => {
  it('loads one file by path', async () => {
    const { summary } = await loadDataset(join(UCI_DIR, 'heart_disease_raw.csv'));
    expect(summary).toMatchObject({ rows: 303, positives: 139, sites: { cleveland: 303 } });
    expect(summary.sha256).toBe('c62392cce6a715ef063ff42c1557df0675df2d8612e272abed377932e8e475c7');
  });

  it('loads all four sites: 920 rows, each tagged with its site', async () => {
    const { rows, summary } = await loadDataset(ALL_SITES);
    expect(summary.rows).toBe(920);
    expect(summary.sites).toEqual({ cleveland: 303, hungarian: 294, switzerland: 123, va: 200 });
    expect(summary.positives).toBe(139 + 106 + 115 + 149);
    expect(summary.files.map((file) => file.rows)).toEqual([303, 294, 123, 200]);
    expect(rows[303]!.site).toBe('hungarian');
  });

  it('names the unreadable file', async () => {
    const error = await loadDataset(join(dir, 'nope.csv')).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'FILE_NOT_FOUND' });
    expect((error as DataError).message).toContain('nope.csv');
  });

  it('collects the problems of every file before failing', async () => {
    const bad1 = join(dir, 'a.data');
    const bad2 = join(dir, 'b.data');
    await writeFile(bad1, '63,1,1,145,233,1,2,150,0,2.3,3,0,6,9\n');
    await writeFile(bad2, '63,1,1,145,233,1,2,150,0,2.3,3,0,6\n');
    const error = (await loadDataset({ paths: [bad1, ALL_SITES[0]!, bad2] }).catch(
      (caught: unknown) => caught,
    )) as DataError;
    expect(error.code).toBe('INVALID_DATA');
    expect(error.issues.map((issue) => [issue.file, issue.line, issue.column])).toEqual([
      [bad1, 1, 'num'],
      [bad2, 1, undefined],
    ]);
  });

  it('refuses an empty list', async () => {
    await expect(loadDataset([])).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});

describe('featureFields', () => {
  it('gives the 13 fields with their UCI domains, nullable where the data had missing values', async () => {
    const { summary } = await loadDataset(join(UCI_DIR, 'processed.cleveland.data'));
    const fields = featureFields(summary.missing);
    expect(fields.map((field) => field.name)).toEqual([...FEATURE_COLUMNS]);
    expect(fields.filter((field) => field.nullable).map((field) => field.name)).toEqual([
      'ca',
      'thal',
    ]);
    expect(fields.find((field) => field.name === 'cp')).toMatchObject({
      kind: 'categorical',
      values: [1, 2, 3, 4],
    });
    expect(fields.find((field) => field.name === 'age')).toMatchObject({
      kind: 'numeric',
      min: 1,
      max: 120,
    });
    const all = await loadDataset(
      ['cleveland', 'hungarian', 'switzerland', 'va'].map((site) =>
        join(UCI_DIR, `processed.${site}.data`),
      ),
    );
    expect(
      featureFields(all.summary.missing).filter((field) => field.nullable).length,
    ).toBeGreaterThan(2);
  });
});
