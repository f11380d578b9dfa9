import { rocAuc } from '@heart/metrics';
import { XSadd } from 'ml-xsadd';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from './load-model.js';
import { RandomForest, type RandomForestJSON } from './random-forest.js';
import { referenceSplit } from './test-support/heart-data.js';
import { modelError } from './test-support/model-error.js';

let split: Awaited<ReturnType<typeof referenceSplit>>;
let forest: RandomForest;
beforeAll(async () => {
  split = await referenceSplit();
  forest = new RandomForest({ nEstimators: 100, seed: 42 }).fit(
    split.trainFeatures,
    split.trainLabels,
    {
      featureNames: split.featureNames,
    },
  );
});

/** Walks a saved tree by hand: the documented preorder layout. */
function leafValue(tree: { feature: number[]; value: number[] }, row: ArrayLike<number>): number {
  let position = 0;
  const skip = (): void => {
    const k = position++;
    if (tree.feature[k] !== -1) {
      skip();
      skip();
    }
  };
  for (;;) {
    const k = position;
    if (tree.feature[k] === -1) return tree.value[k]!;
    position++;
    if (row[tree.feature[k]!]! <= tree.value[k]!) continue;
    skip();
  }
}

describe('RandomForest quality on Cleveland (fixed seed 42)', () => {
  it('reaches test ROC AUC ≥ 0.93 on the reference split', () => {
    expect(
      rocAuc(split.testLabels, forest.predictProba(split.testFeatures)),
    ).toBeGreaterThanOrEqual(0.93);
  });

  it("grows trees of scikit-learn's size (it reports 9186 nodes, mean depth 10.1, for 100 trees)", () => {
    const info = forest.fitInfo;
    expect(info.trees).toBe(100);
    expect(info.nodes).toBeGreaterThan(8000);
    expect(info.nodes).toBeLessThan(10500);
    expect(info.meanDepth).toBeGreaterThan(9);
    expect(info.meanDepth).toBeLessThan(11.5);
    expect(info.exactSplits).toBe(true);
  });
});

describe('RandomForest behaviour', () => {
  it('scores a dense matrix (tree by tree, in blocks of rows) to the bits of one row at a time', () => {
    // 1,300 rows: two full blocks of 512 and a partial one.
    const rows = Array.from({ length: 1300 }, (_, i) => {
      const row = split.testFeatures[i % split.testFeatures.length]!;
      return row.map((value, j) => (j === i % row.length ? value + (i % 7) * 0.1 : value));
    });
    const columns = rows[0]!.length;
    const data = new Float64Array(rows.length * columns);
    for (const [i, row] of rows.entries()) data.set(row, i * columns);
    const dense = forest.predictProba({ data, rows: rows.length, columns });
    expect(Array.from(dense)).toEqual(rows.map((row) => forest.predictProbaRow(row)));
    expect(Array.from(forest.predictProba(rows))).toEqual(Array.from(dense));
  });

  it('walks four rows (or trees) at a time to the bits of a plain walk, whatever the counts', () => {
    // Groups of four and the rows and trees left over: every remainder from 0 to 3, both ways.
    for (const trees of [1, 2, 3, 4, 5, 7, 9]) {
      const small = new RandomForest({ nEstimators: trees, seed: trees }).fit(
        split.trainFeatures,
        split.trainLabels,
      );
      const json = small.toJSON();
      const expected = (row: ArrayLike<number>) => {
        let sum = 0;
        for (const tree of json.trees) sum += leafValue(tree, row);
        return sum / json.trees.length;
      };
      for (const count of [1, 2, 3, 4, 5, 8, 11]) {
        const rows = split.testFeatures.slice(count, 2 * count);
        const columns = rows[0]!.length;
        const data = Float64Array.from(rows.flatMap((row) => Array.from(row)));
        const wanted = rows.map(expected);
        expect(Array.from(small.predictProba({ data, rows: count, columns }))).toEqual(wanted);
        expect(rows.map((row) => small.predictProbaRow(row))).toEqual(wanted);
      }
    }
  });

  it('averages the trees’ leaf class-1 fractions, as the saved trees say', () => {
    const soft = new RandomForest({ nEstimators: 10, minSamplesLeaf: 5, seed: 1 }).fit(
      split.trainFeatures,
      split.trainLabels,
    );
    const json = soft.toJSON();
    const probabilities = soft.predictProba(split.testFeatures);
    split.testFeatures.forEach((row, i) => {
      const expected =
        json.trees.reduce((sum, tree) => sum + leafValue(tree, row), 0) / json.trees.length;
      expect(probabilities[i]).toBeCloseTo(expected, 12);
    });
    // Impure leaves: averages of fractions are not all multiples of 1/10 (hard votes would be).
    expect(
      Array.from(probabilities).some((p) => Math.abs(p * 10 - Math.round(p * 10)) > 1e-9),
    ).toBe(true);
  });

  it('is deterministic: the same seed gives identical probabilities and JSON; another seed differs', () => {
    const again = new RandomForest({ nEstimators: 100, seed: 42 }).fit(
      split.trainFeatures,
      split.trainLabels,
      {
        featureNames: split.featureNames,
      },
    );
    expect(JSON.stringify(again)).toBe(JSON.stringify(forest));
    expect(again.predictProba(split.testFeatures)).toEqual(forest.predictProba(split.testFeatures));
    const other = new RandomForest({ nEstimators: 100, seed: 43 }).fit(
      split.trainFeatures,
      split.trainLabels,
    );
    expect(other.predictProba(split.testFeatures)).not.toEqual(
      forest.predictProba(split.testFeatures),
    );
  });

  it('saves 100 trees in well under 200 KiB and loads back to the same predictions', () => {
    const text = JSON.stringify(forest);
    expect(text.length).toBeLessThan(200 * 1024);
    const restored = loadModel(text);
    expect(restored).toBeInstanceOf(RandomForest);
    expect(restored.predictProba(split.testFeatures)).toEqual(
      forest.predictProba(split.testFeatures),
    );
    expect(restored.featureImportances()).toEqual(forest.featureImportances());
    expect(JSON.stringify(restored)).toBe(text);
  });

  it('ranks a pure-noise column last by mean decrease in impurity; importances sum to 1', () => {
    const random = new XSadd(7);
    const uniform = () => random.getUint32() / 4294967296;
    const gaussian = () =>
      Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
    const labels: number[] = [];
    const features: number[][] = [];
    for (let i = 0; i < 600; i++) {
      const label = uniform() < 0.5 ? 1 : 0;
      labels.push(label);
      features.push([
        label + 0.5 * gaussian(),
        label + gaussian(),
        label + 1.5 * gaussian(),
        uniform() < 0.5 ? label : 1 - label,
        gaussian(),
      ]);
    }
    for (let i = 0; i < 600; i++) features[i]![3] = uniform() < 0.7 ? labels[i]! : 1 - labels[i]!;
    const names = ['strong', 'medium', 'weak', 'binary', 'noise'];
    const model = new RandomForest({ nEstimators: 100, seed: 3 }).fit(features, labels, {
      featureNames: names,
    });
    const importances = model.featureImportances();
    const ranked = [...importances]
      .sort((a, b) => b.importance - a.importance)
      .map((item) => item.feature);
    expect(ranked[0]).toBe('strong');
    expect(ranked.at(-1)).toBe('noise');
    expect(importances.reduce((sum, item) => sum + item.importance, 0)).toBeCloseTo(1, 12);
    expect(importances.every((item) => item.importance >= 0)).toBe(true);
  });

  it('fits the training rows exactly when grown on all rows and all features', () => {
    const full = new RandomForest({
      nEstimators: 3,
      bootstrap: false,
      maxFeatures: 'all',
      seed: 1,
    }).fit(split.trainFeatures, split.trainLabels);
    expect(Array.from(full.predict(split.trainFeatures))).toEqual(split.trainLabels);
  });

  it('honours maxDepth, entropy and a small maxBins', () => {
    const shallow = new RandomForest({ nEstimators: 20, maxDepth: 3, seed: 2 }).fit(
      split.trainFeatures,
      split.trainLabels,
    );
    expect(shallow.fitInfo.maxDepth).toBe(3);
    const entropy = new RandomForest({ nEstimators: 50, criterion: 'entropy', seed: 2 }).fit(
      split.trainFeatures,
      split.trainLabels,
    );
    expect(rocAuc(split.testLabels, entropy.predictProba(split.testFeatures))).toBeGreaterThan(0.9);
    const binned = new RandomForest({ nEstimators: 50, maxBins: 8, seed: 2 }).fit(
      split.trainFeatures,
      split.trainLabels,
    );
    expect(binned.fitInfo.exactSplits).toBe(false);
    expect(rocAuc(split.testLabels, binned.predictProba(split.testFeatures))).toBeGreaterThan(0.9);
    expect(forest.params).toMatchObject({
      n_estimators: 100,
      max_depth: null,
      max_features: 'sqrt',
      random_state: 42,
    });
  });

  it('refuses bad options, inputs and saved trees with coded errors', () => {
    expect(modelError(() => new RandomForest({ nEstimators: 0 })).code).toBe('INVALID_OPTION');
    expect(modelError(() => new RandomForest({ maxFeatures: 1.5 })).message).toContain(
      'maxFeatures must be',
    );
    expect(modelError(() => new RandomForest({ criterion: 'mse' as 'gini' })).code).toBe(
      'INVALID_OPTION',
    );
    expect(
      modelError(() =>
        new RandomForest({ maxFeatures: 40 }).fit(split.trainFeatures, split.trainLabels),
      ).message,
    ).toContain('exceeds the 28 features');
    expect(modelError(() => new RandomForest().fit([[Number.POSITIVE_INFINITY]], [1])).code).toBe(
      'INVALID_INPUT',
    );
    expect(modelError(() => new RandomForest().predictProba([[1]])).code).toBe('NOT_FITTED');
    expect(modelError(() => forest.predictProbaRow([1, 2])).code).toBe('SHAPE_MISMATCH');

    const json = forest.toJSON();
    const withTree = (tree: { feature: number[]; value: number[] }): RandomForestJSON => ({
      ...json,
      trees: [tree],
    });
    expect(
      modelError(() => RandomForest.load(withTree({ feature: [0, -1], value: [0.5, 1] }))).message,
    ).toContain('ends before');
    expect(
      modelError(() => RandomForest.load(withTree({ feature: [-1, -1], value: [1, 1] }))).message,
    ).toContain('follow the complete tree');
    expect(
      modelError(() => RandomForest.load(withTree({ feature: [99, -1, -1], value: [0, 1, 0] })))
        .message,
    ).toContain('splits on feature 99');
    expect(
      modelError(() => RandomForest.load(withTree({ feature: [-1], value: [1.5] }))).message,
    ).toContain('probability 1.5');
    expect(modelError(() => RandomForest.load({ ...json, formatVersion: 9 })).code).toBe(
      'INVALID_JSON',
    );
    expect(modelError(() => loadModel({ kind: 'pickle', formatVersion: 1 })).message).toContain(
      'unknown model kind "pickle"',
    );
    expect(
      RandomForest.load(withTree({ feature: [0, -1, -1], value: [0.5, 1, 0] })).predictProbaRow(
        new Array(28).fill(0),
      ),
    ).toBe(1);
  });

  it('checks a saved tree without recursion: a 200,000-level chain is refused by the depth check', () => {
    const json = forest.toJSON();
    /** `depth` splits, each with a leaf as its right child, ending in a leaf. */
    const chain = (depth: number) => {
      const feature: number[] = [];
      const value: number[] = [];
      for (let level = 0; level < depth; level++) {
        feature.push(0);
        value.push(0.5);
      }
      feature.push(-1);
      value.push(1);
      for (let level = 0; level < depth; level++) {
        feature.push(-1);
        value.push(0);
      }
      return { ...json, trees: [{ feature, value }] };
    };
    const error = modelError(() => RandomForest.load(chain(200_000)));
    expect(error.code).toBe('INVALID_JSON');
    expect(error.message).toContain('deeper than 10000 levels');
    // Just within the limit it loads and predicts: left all the way down, then the last leaf.
    expect(RandomForest.load(chain(10_000)).predictProbaRow(new Array(28).fill(0))).toBe(1);
  });
});
