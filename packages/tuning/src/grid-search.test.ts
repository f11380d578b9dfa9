import { readFileSync } from 'node:fs';
import type { HeartRow } from '@heart/data';
import { LogisticRegression, RandomForest } from '@heart/models';
import { Pipeline } from '@heart/pipeline';
import { createHeartPreprocessor } from '@heart/preprocessing';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CandidateResult } from './cv-results.js';
import { TuningError } from './errors.js';
import { gridSearch, randomSearch } from './grid-search.js';
import { CLEVELAND_SCHEMA, clevelandRows } from './test-support/heart.js';

const sklearn = JSON.parse(
  readFileSync(new URL('./__fixtures__/sklearn-grid-lr.json', import.meta.url), 'utf8'),
) as {
  split_test_scores: number[][];
  mean_test_score: number[];
  std_test_score: number[];
  rank_test_score: number[];
  best_index: number;
};

let rows: HeartRow[];
let labels: number[];
let features: Float64Array[];
beforeAll(async () => {
  rows = await clevelandRows();
  labels = rows.map((row) => row.target);
  features = createHeartPreprocessor().fitTransform(rows);
});

const pipeline = (classifier: LogisticRegression | RandomForest) =>
  new Pipeline({
    preprocessor: createHeartPreprocessor(),
    classifier,
    inputSchema: CLEVELAND_SCHEMA,
  });

describe('gridSearch against GridSearchCV', () => {
  it("gives scikit-learn's cv_results_ for a pipeline's C on its folds (1e-3), and refits the best", async () => {
    const candidates: CandidateResult[] = [];
    const search = await gridSearch({
      estimator: pipeline(new LogisticRegression({ maxIter: 1000 })),
      grid: { C: [0.01, 0.1, 1, 10] },
      records: rows,
      labels,
      cv: { folds: 5, seed: 42, method: 'sklearn' },
      onCandidate: (candidate) => {
        candidates.push(candidate);
      },
    });
    search.cvResults.splitTestScores.forEach((folds, i) => {
      folds.forEach((value, k) => {
        expect(Math.abs(value - sklearn.split_test_scores[i]![k]!)).toBeLessThan(1e-3);
      });
    });
    expect(search.cvResults.rankTestScore).toEqual(sklearn.rank_test_score);
    expect(search.bestIndex).toBe(sklearn.best_index);
    expect(search.bestParams).toEqual({ C: 0.1 });
    expect(Math.abs(search.bestScore - sklearn.mean_test_score[1]!)).toBeLessThan(1e-3);
    expect(search.cvResults.stdTestScore[1]).toBeCloseTo(sklearn.std_test_score[1]!, 3);
    expect(search.bestEstimator).toBeInstanceOf(Pipeline);
    expect(search.bestEstimator!.predictProba(rows.slice(0, 3))).toHaveLength(3);
    expect((search.bestEstimator!.classifier as LogisticRegression).C).toBe(0.1);
    expect(candidates.map((c) => c.index).sort()).toEqual([0, 1, 2, 3]);
    expect(candidates[0]).toMatchObject({
      foldScores: expect.any(Array),
      meanFitTime: expect.any(Number),
    });
    expect(Object.keys(search.cvResults).sort()).toEqual(
      [
        'meanFitTime',
        'meanScoreTime',
        'meanTestScore',
        'params',
        'rankTestScore',
        'splitTestScores',
        'stdFitTime',
        'stdScoreTime',
        'stdTestScore',
      ].sort(),
    );
  });

  it('gives the same scores and ranks on 1, 2 or 3 worker threads', async () => {
    const run = (nJobs: number) =>
      gridSearch({
        estimator: new RandomForest({ seed: 3 }),
        grid: { nEstimators: [10, 20], maxDepth: [null, 4], minSamplesLeaf: [1, 5] },
        features,
        labels,
        cv: 4,
        nJobs,
        refit: nJobs === 2,
      });
    const one = await run(1);
    for (const nJobs of [2, 3]) {
      const other = await run(nJobs);
      expect(other.cvResults.splitTestScores).toEqual(one.cvResults.splitTestScores);
      expect(other.cvResults.rankTestScore).toEqual(one.cvResults.rankTestScore);
      expect(other.bestParams).toEqual(one.bestParams);
    }
    expect(one.bestEstimator).toBeUndefined();
    expect(one.cvResults.params).toHaveLength(8);
  });
});

describe('search behaviour', () => {
  it('draws random candidates by seed and scores them by any metric', async () => {
    const run = () =>
      randomSearch({
        estimator: new LogisticRegression(),
        distributions: { C: { type: 'loguniform', low: 0.01, high: 10 } },
        trials: 5,
        seed: 9,
        features,
        labels,
        scoring: 'neg_log_loss',
        refit: false,
      });
    const a = await run();
    expect((await run()).cvResults).toMatchObject({
      params: a.cvResults.params,
      meanTestScore: a.cvResults.meanTestScore,
    });
    expect(a.scoring).toBe('negLogLoss');
    expect(a.cvResults.meanTestScore.every((value) => value < 0)).toBe(true);
  });

  it('raises a failed fit with its candidate, or records errorScore and ranks it last', async () => {
    const options = {
      estimator: new LogisticRegression({ tol: 1e-8 }),
      grid: { maxIter: [1, 100] },
      features,
      labels,
      refit: false,
    };
    await expect(gridSearch(options)).rejects.toThrow(
      /candidate 0 \{"maxIter":1\}, fold 0: LogisticRegression did not converge/,
    );
    const tolerant = await gridSearch({ ...options, errorScore: Number.NaN });
    expect(Number.isNaN(tolerant.cvResults.meanTestScore[0])).toBe(true);
    expect(tolerant.cvResults.rankTestScore).toEqual([2, 1]);
  });

  it('checks its inputs at the door', async () => {
    const base = { estimator: new LogisticRegression(), grid: { C: [1] }, labels };
    await expect(gridSearch({ ...base })).rejects.toThrow('a classifier search needs features');
    await expect(gridSearch({ ...base, features, nJobs: 0 })).rejects.toThrow(TuningError);
    await expect(gridSearch({ ...base, features, scoring: 'r2' as 'rocAuc' })).rejects.toThrow(
      /scoring must be one of/,
    );
    await expect(gridSearch({ ...base, features, grid: { C: [-1] } })).rejects.toThrow(
      'candidate 0 {"C":-1}: C must be a positive number, got -1',
    );
    await expect(
      gridSearch({
        ...base,
        estimator: pipeline(new LogisticRegression()),
        records: [{ age: 'x' }],
      }),
    ).rejects.toThrow(/do not fit the input schema/);
  });
});
