import { describe, expect, it } from 'vitest';
import type { Metric } from '../types.js';
import { missingPoints, pointKey } from './metric-diff.js';
import { syncBatches } from './sync-batches.js';
import { COMPLETE_TAG } from './sync-tags.js';

const points = (key: string, count: number): Metric[] =>
  Array.from({ length: count }, (_, step) => ({
    key,
    value: step / 7,
    timestamp: 1000 + step,
    step,
  }));

describe('syncBatches', () => {
  it('keeps each metric key in one batch when it fits, within every MLflow limit, the completion tag last', () => {
    const params = Array.from({ length: 120 }, (_, i) => ({ key: `p${i}`, value: String(i) }));
    const tags = Array.from({ length: 30 }, (_, i) => ({ key: `t${i}`, value: 'v' }));
    const metrics = [...points('small', 300), ...points('big', 2500), ...points('mid', 900)];
    const batches = syncBatches('run1', { params, tags, metrics }, COMPLETE_TAG);
    for (const batch of batches) {
      expect(batch.metrics.length).toBeLessThanOrEqual(1000);
      expect(batch.params.length).toBeLessThanOrEqual(100);
      expect(batch.tags.length).toBeLessThanOrEqual(100);
      expect(batch.metrics.length + batch.params.length + batch.tags.length).toBeLessThanOrEqual(
        1000,
      );
      expect(JSON.parse(batch.json)).toMatchObject({ run_id: 'run1' });
    }
    // Every item once, params first.
    expect(batches.flatMap((batch) => batch.params)).toEqual(params);
    expect(batches.flatMap((batch) => batch.metrics)).toEqual(metrics);
    expect(batches[0]!.params.length).toBe(100);
    // A key of up to 1000 points is never split; the 2500-point key fills whole batches.
    const holding = (key: string) =>
      batches.filter((batch) => batch.metrics.some((m) => m.key === key));
    expect(holding('small')).toHaveLength(1);
    expect(holding('mid')).toHaveLength(1);
    expect(holding('big').length).toBeGreaterThanOrEqual(3);
    const last = batches.at(-1)!;
    expect(last.tags.at(-1)).toEqual(COMPLETE_TAG);
    expect(
      batches.flatMap((batch) => batch.tags).filter((tag) => tag.key === COMPLETE_TAG.key),
    ).toHaveLength(1);
  });

  it('closes a batch before it would pass 1,000,000 bytes', () => {
    const params = Array.from({ length: 100 }, (_, i) => ({
      key: `p${i}`,
      value: 'x'.repeat(12_000),
    }));
    const batches = syncBatches('run1', { params });
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches)
      expect(Buffer.byteLength(batch.json)).toBeLessThanOrEqual(1_000_000);
  });

  it('sends NaN and ±∞ as MLflow takes them', () => {
    const [batch] = syncBatches('r', {
      metrics: [
        { key: 'm', value: Number.NaN, timestamp: 1, step: 0 },
        { key: 'm', value: Number.NEGATIVE_INFINITY, timestamp: 1, step: 1 },
      ],
    });
    expect(JSON.parse(batch!.json).metrics.map((m: { value: unknown }) => m.value)).toEqual([
      'NaN',
      '-Infinity',
    ]);
  });
});

describe('missingPoints', () => {
  it('counts: a point wanted twice and present once is missing once; NaN equals NaN, ∞ the largest double', () => {
    const a = { key: 'm', value: 1, timestamp: 5, step: 0 };
    const nan = { key: 'm', value: Number.NaN, timestamp: 5, step: 1 };
    const inf = { key: 'm', value: Number.POSITIVE_INFINITY, timestamp: 5, step: 2 };
    const sqlInf = { ...inf, value: 1.7976931348623157e308 };
    expect(missingPoints([a, a, nan, inf], [a, { ...nan }, sqlInf])).toEqual([a]);
    expect(pointKey(a)).not.toBe(pointKey({ ...a, timestamp: 6 }));
  });
});
