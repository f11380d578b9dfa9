import { isMainThread } from 'node:worker_threads';
import { XSadd } from 'ml-xsadd';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminateWorkers } from './internal/worker-pool.js';
import { RandomForest } from './random-forest.js';
import { referenceSplit } from './test-support/heart-data.js';
import { modelError } from './test-support/model-error.js';

/** 20,000 rows: two informative continuous columns (>4,096 distinct values), a code, noise. */
function synthetic(rows: number) {
  const random = new XSadd(11);
  const labels: number[] = [];
  const features = Array.from({ length: rows }, () => {
    const label = random.getFloat() < 0.45 ? 1 : 0;
    labels.push(label);
    return [
      label + random.getFloat() * 2,
      random.getFloat() - label,
      Math.floor(random.getFloat() * 4),
      random.getFloat(),
    ];
  });
  return { features, labels };
}

let split: Awaited<ReturnType<typeof referenceSplit>>;
const big = synthetic(20_000);
beforeAll(async () => {
  split = await referenceSplit();
});
afterAll(() => terminateWorkers());

describe('RandomForest nJobs: trees on worker threads', () => {
  it('grows the same forest, bit for bit, for nJobs 1, 2, 3 and -1', () => {
    const fit = (nJobs: number) =>
      JSON.stringify(
        new RandomForest({ nEstimators: 30, seed: 7, nJobs }).fit(
          split.trainFeatures,
          split.trainLabels,
        ),
      );
    const one = fit(1);
    expect(fit(2)).toBe(one);
    expect(fit(3)).toBe(one);
    expect(fit(-1)).toBe(one);
    expect(one).not.toContain('nJobs');
  });

  it('grows the same forest on 20,000 rows with continuous columns, whatever nJobs', () => {
    const options = { nEstimators: 12, maxDepth: 8, minSamplesLeaf: 3, seed: 3 };
    const one = new RandomForest({ ...options, nJobs: 1 }).fit(big.features, big.labels);
    const two = new RandomForest({ ...options, nJobs: 2 }).fit(big.features, big.labels);
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    expect(one.fitInfo.exactSplits).toBe(false);
  });

  it('reports progress on the main thread, once per tree, up to the total', () => {
    const calls: [number, number, boolean][] = [];
    new RandomForest({ nEstimators: 25, seed: 1, nJobs: 2 }).fit(
      split.trainFeatures,
      split.trainLabels,
      { onProgress: (done, total) => calls.push([done, total, isMainThread]) },
    );
    expect(calls.map(([done]) => done)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(calls.every(([, total, main]) => total === 25 && main)).toBe(true);
  });

  it('scores a large batch on workers to the same bits as on this thread', () => {
    const model = new RandomForest({ nEstimators: 100, maxDepth: 6, seed: 5 }).fit(
      big.features,
      big.labels,
    );
    const here = model.predictProba(big.features);
    model.nJobs = 2;
    expect(model.predictProba(big.features)).toEqual(here);
    const width = 4;
    const data = new Float64Array(big.features.length * width);
    big.features.forEach((row, i) => {
      data.set(row, i * width);
    });
    expect(model.predictProba({ data, rows: big.features.length, columns: width })).toEqual(here);
  });

  it('takes a dense row-major matrix as it takes rows', () => {
    const width = split.trainFeatures[0]!.length;
    const data = new Float64Array(split.trainFeatures.length * width);
    split.trainFeatures.forEach((row, i) => {
      data.set(row, i * width);
    });
    const dense = { data, rows: split.trainFeatures.length, columns: width };
    const a = new RandomForest({ nEstimators: 10, seed: 2 }).fit(
      split.trainFeatures,
      split.trainLabels,
    );
    const b = new RandomForest({ nEstimators: 10, seed: 2 }).fit(dense, split.trainLabels);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(b.predictProba(dense)).toEqual(a.predictProba(split.trainFeatures));
  });

  it('checks nJobs, logs it as n_jobs, and does not save it', () => {
    expect(modelError(() => new RandomForest({ nJobs: 0 })).code).toBe('INVALID_OPTION');
    expect(modelError(() => new RandomForest({ nJobs: 1.5 })).message).toContain('nJobs must be');
    const forest = new RandomForest({ nEstimators: 3, nJobs: -1 });
    expect(forest.params.n_jobs).toBe(-1);
    forest.fit(split.trainFeatures, split.trainLabels);
    const restored = RandomForest.load(JSON.parse(JSON.stringify(forest)));
    expect(restored.nJobs).toBe(1);
    expect(() => {
      forest.nJobs = -2000;
    }).toThrow(/nJobs must be/);
  });
});
