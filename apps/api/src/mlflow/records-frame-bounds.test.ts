import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundleFromDir } from '../model-store.js';
import { EXAMPLE_PATIENT } from '../schemas.js';
import { writeModelDir } from '../test-support/fixtures.js';
import { type LiveApp, startLiveApp } from '../test-support/live-app.js';
import { jsonFrame } from './scoring-frame.js';

/**
 * `dataframe_records` whose first record has many keys and whose other records are empty: the
 * frame has one column per key seen, and a dense row per record would hold records × keys cells
 * — 60,000 keys and 130,000 `{}` fit in the default 1 MiB body and make 7.8 × 10^9 cells.
 */
const wideRecords = (keys: number, empty: number) => [
  Object.fromEntries(Array.from({ length: keys }, (_, i) => [`k${i}`, 0])),
  ...Array.from({ length: empty }, () => ({})),
];

/** The cells a frame holds (its rows' own entries), what its memory grows with. */
const cellsHeld = (rows: readonly unknown[][]) =>
  rows.reduce((sum, row) => sum + Object.keys(row).length, 0);

describe('dataframe_records with many columns and many rows', () => {
  it('builds a frame no larger than the records it was given (5,000 keys, 2,000 empty records)', () => {
    const records = wideRecords(5000, 2000);
    const frame = jsonFrame({ dataframe_records: records });
    expect(frame.columns).toHaveLength(5000);
    expect(frame.rows).toHaveLength(2001);
    // Dense rows held 2001 × 5000 = 10,005,000 cells for 5,000 values.
    expect(cellsHeld(frame.rows)).toBeLessThanOrEqual(5000);
    expect(frame.rows[0]![4999]).toBe(0);
    expect(frame.rows[1]![0]).toBeUndefined();
  });

  it("keeps a record's values under their columns, absent keys undefined (as before)", () => {
    const frame = jsonFrame({ dataframe_records: [{ a: 1, b: 2 }, { b: 3, c: 4 }, {}] });
    expect(frame.columns).toEqual(['a', 'b', 'c']);
    expect([0, 1, 2].map((at) => frame.rows[1]![at])).toEqual([undefined, 3, 4]);
    expect([0, 1, 2].map((at) => frame.rows[0]![at])).toEqual([1, 2, undefined]);
  });

  describe('on a real socket, at the default limits', () => {
    let fixture: Awaited<ReturnType<typeof writeModelDir>>;
    let live: LiveApp;
    beforeAll(async () => {
      fixture = await writeModelDir('logistic-regression');
      live = await startLiveApp({ holder: { bundle: await loadBundleFromDir(fixture.dir) } });
    });
    afterAll(async () => {
      await live.close();
      await fixture.cleanup();
    });

    it('answers a 1 MiB body of 60,000 keys and 130,000 empty records 400, and keeps serving', async () => {
      const records = wideRecords(60_000, 130_000);
      Object.assign(records[0]!, EXAMPLE_PATIENT);
      const body = JSON.stringify({ dataframe_records: records });
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(1_048_576);
      const answer = await fetch(`${live.url}/invocations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as { message: string }).message).toMatch(/at most 1000 rows/);
      const health = await fetch(`${live.url}/health`);
      expect(health.status).toBe(200);
    }, 20_000);
  });
});
