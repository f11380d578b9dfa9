import { RandomForest } from '@heart/models';
import { createHeartPreprocessor } from '@heart/preprocessing';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomCandidates } from './candidates.js';
import type { CandidateResult } from './cv-results.js';
import { TuningError } from './errors.js';
import { gridSearch } from './grid-search.js';
import { clevelandRows } from './test-support/heart.js';

let labels: number[];
let features: Float64Array[];
beforeAll(async () => {
  const rows = await clevelandRows();
  labels = rows.map((row) => row.target);
  features = createHeartPreprocessor().fitTransform(rows);
});
afterEach(() => vi.restoreAllMocks());

describe('randomCandidates: every draw from a seed, never from the clock', () => {
  const distributions = {
    C: { type: 'loguniform' as const, low: 0.001, high: 100 },
    maxIter: { type: 'int' as const, low: 10, high: 1000 },
  };

  it('draws the same candidates without a seed whatever the clock says (the seed default, 42)', () => {
    const at = (ms: number) => {
      vi.spyOn(Date, 'now').mockReturnValue(ms);
      const drawn = randomCandidates(distributions, 5, undefined as unknown as number);
      vi.restoreAllMocks();
      return JSON.stringify(drawn);
    };
    expect(at(1_000)).toBe(at(2_000));
    expect(at(1_000)).toBe(JSON.stringify(randomCandidates(distributions, 5, 42)));
  });

  it('refuses a seed outside 0..2**32 − 1 rather than wrapping it onto another seed', () => {
    for (const seed of [-1, 2 ** 32, 1.5, Number.NaN]) {
      expect(() => randomCandidates(distributions, 3, seed)).toThrow(TuningError);
    }
  });
});

describe('onCandidate: the same sequence of calls whatever nJobs', () => {
  it('reports candidates in candidate order on 2 worker threads as on 1', async () => {
    const order = async (nJobs: number) => {
      const seen: number[] = [];
      await gridSearch({
        estimator: new RandomForest({ seed: 3 }),
        // Candidate 0 is slow (300 trees per fold), candidate 1 fast (1 tree): with 2 threads,
        // candidate 1's folds run on the second thread and finish first.
        grid: { nEstimators: [300, 1] },
        features,
        labels,
        cv: 2,
        nJobs,
        refit: false,
        onCandidate: (candidate: CandidateResult) => {
          seen.push(candidate.index);
        },
      });
      return seen;
    };
    const one = await order(1);
    expect(one).toEqual([0, 1]);
    expect(await order(2)).toEqual(one);
  });
});

describe('FIT_FAILED: the same failure reported whatever nJobs', () => {
  it('names the first failing (candidate, fold) in task order on 2 worker threads as on 1', async () => {
    // Fold 1 tests rows of one class only: its ROC AUC cannot be computed, for every candidate.
    const positives = labels.flatMap((label, i) => (label === 1 ? [i] : []));
    const all = labels.map((_, i) => i);
    const half = Math.floor(labels.length / 2);
    const cv = [
      { trainIndex: all.slice(0, half), testIndex: all.slice(half) },
      {
        trainIndex: all.filter((i) => !positives.slice(0, 20).includes(i)),
        testIndex: positives.slice(0, 20),
      },
    ];
    const failure = (nJobs: number) =>
      gridSearch({
        estimator: new RandomForest({ seed: 3 }),
        // Candidate 0's fits are slow (300 trees), candidate 1's fast (1 tree): on 2 threads,
        // candidate 1's failing fold is done before candidate 0's.
        grid: { nEstimators: [300, 1] },
        features,
        labels,
        cv,
        nJobs,
        refit: false,
      }).then(
        () => 'no failure',
        (error: Error) => error.message,
      );
    const one = await failure(1);
    expect(one).toMatch(/^candidate 0 .*fold 1: /);
    expect(await failure(2)).toBe(one);
  });
});
