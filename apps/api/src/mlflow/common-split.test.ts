import { featureFields } from '@heart/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../columns.js';
import { clevelandRows, patientOf } from '../test-support/fixtures.js';
import { everyByteChange, pythonDumps, signedJson } from '../test-support/json-variants.js';
import { compileValidators } from '../validators.js';
import { readCommonSplit } from './common-split.js';
import { framePatients } from './frame-patients.js';
import { parsedBody } from './scoring-body.js';
import { jsonFrame } from './scoring-frame.js';

const validators = compileValidators(featureFields({ ca: 1, thal: 1 }), 1000);
const COLUMNS = validators.names;
type Row = Record<string, number | null>;
let rows: Row[];

beforeAll(async () => {
  rows = (await clevelandRows()).slice(0, 3).map(patientOf);
  rows[2] = { ...rows[2]!, thal: null };
});

/** What the general path (JSON.parse, the frame, its checks) answers: its patients, or its error. */
function general(bytes: Buffer): string {
  try {
    const body = parsedBody({ kind: 'json', bytes });
    return signedJson(framePatients(jsonFrame(body.kind === 'json' ? body.value : {}), validators));
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

/** Where the reader answers, whether it is what the general path answers; undefined where it leaves the body. */
function agrees(bytes: Buffer): boolean | undefined {
  const read = readCommonSplit(bytes, validators);
  return read === undefined
    ? undefined
    : signedJson(recordsOf(read, validators)) === general(bytes);
}

const split = (patients: Row[], index?: number[]) => ({
  dataframe_split: {
    ...(index ? { index } : {}),
    columns: COLUMNS,
    data: patients.map((p) => COLUMNS.map((c) => p[c])),
  },
});

describe('readCommonSplit', () => {
  it('reads dataframe_split as clients send it, both spacings, with or without an index', () => {
    const bodies = [split(rows.slice(0, 1)), split(rows), split(rows, [0, 1, 2]), split(rows, [])];
    for (const body of bodies) {
      for (const text of [JSON.stringify(body), pythonDumps(body)]) {
        expect(agrees(Buffer.from(text)), text.slice(0, 90)).toBe(true);
      }
    }
    const read = readCommonSplit(Buffer.from(pythonDumps(bodies[2])), validators);
    expect(read?.count).toBe(3);
    expect(recordsOf(read!, validators)[2]).toEqual(rows[2]);
  });

  it('reads numbers as JSON.parse does', () => {
    for (const text of ['-0', '0.1', '2.30', '1e1', '25E-1', '0.30000000000000004', '1.5e+0']) {
      const body = JSON.stringify(split(rows.slice(0, 1))).replace(
        `,${rows[0]!.oldpeak},`,
        `,${text},`,
      );
      expect(body).toContain(text);
      expect(agrees(Buffer.from(body)), text).toBe(true);
    }
  });

  it('leaves every other body to the general path', () => {
    const one = split(rows.slice(0, 1));
    const cells = one.dataframe_split.data[0]!;
    const left = [
      { ...one, params: { threshold: 0.3 } },
      { dataframe_records: rows },
      { instances: rows },
      { dataframe_split: { ...one.dataframe_split, columns: [...COLUMNS].reverse() } },
      { dataframe_split: { columns: COLUMNS.slice(1), data: [cells.slice(1)] } },
      { dataframe_split: { columns: COLUMNS, data: [] } },
      { dataframe_split: { columns: COLUMNS, data: [cells.slice(1)] } },
      { dataframe_split: { columns: COLUMNS, data: [[...cells, 1]] } },
      { dataframe_split: { columns: COLUMNS, data: [cells.map((v, i) => (i === 0 ? '63' : v))] } },
      { dataframe_split: { columns: COLUMNS, data: [cells.map((v, i) => (i === 1 ? true : v))] } },
      { dataframe_split: { columns: COLUMNS, data: [cells.map((v, i) => (i === 0 ? null : v))] } },
      { dataframe_split: { columns: COLUMNS, data: [cells.map((v, i) => (i === 0 ? 500 : v))] } },
      { dataframe_split: { columns: COLUMNS, data: Array(1001).fill(cells) } },
      { dataframe_split: { index: ['a'], columns: COLUMNS, data: [cells] } },
      { dataframe_split: { columns: COLUMNS, index: [0], data: [cells] } },
      { dataframe_split: { data: [cells], columns: COLUMNS } },
    ];
    for (const body of left) {
      const text = JSON.stringify(body);
      expect(readCommonSplit(Buffer.from(text), validators), text.slice(0, 90)).toBe(undefined);
    }
    const text = JSON.stringify(one);
    for (const bytes of [`\uFEFF${text}`, `${text} `, ` ${text}`, JSON.stringify(one, null, 1)]) {
      expect(readCommonSplit(Buffer.from(bytes), validators), bytes.slice(0, 40)).toBe(undefined);
    }
    const half = compileValidators([{ name: 'a"b', kind: 'numeric', nullable: false }], 10);
    const quoted = JSON.stringify({ dataframe_split: { columns: ['a"b'], data: [[1]] } });
    expect(readCommonSplit(Buffer.from(quoted), half)).toBe(undefined);
  });

  it('agrees with the general path on every prefix and every one-byte change of a body', () => {
    const texts = [
      JSON.stringify(split(rows.slice(0, 2))),
      pythonDumps(split(rows.slice(1, 3), [4, 5])),
    ];
    const { wrong, read } = everyByteChange(texts, (bytes) => agrees(bytes));
    expect(wrong).toEqual([]);
    expect(read).toBeGreaterThan(300);
  });
});
