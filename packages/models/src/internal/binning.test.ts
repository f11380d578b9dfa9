import { describe, expect, it } from 'vitest';
import { RandomForest } from '../random-forest.js';
import { referenceSplit } from '../test-support/heart-data.js';
import { binFeatures as binInput, thresholdBetween } from './binning.js';
import { readFeatures } from './features.js';

const binFeatures = (rows: number[][], _width: number, maxBins: number) =>
  binInput(readFeatures(rows, 'test'), maxBins);

describe('thresholdBetween', () => {
  const data = binFeatures([[1], [2], [3], [5], [9]], 1, 256);

  it("lies halfway between two adjacent distinct values, the pair nearest the node's midpoint", () => {
    // The node holds 1 and 9 only (bins 0 and 4): its midpoint 5 is a training value; the nearest
    // midpoint of adjacent values is 4 (between 3 and 5), never a value itself.
    expect(thresholdBetween(data, 0, 0, 4)).toBe(4);
    expect(thresholdBetween(data, 0, 0, 1)).toBe(1.5);
    expect(thresholdBetween(data, 0, 1, 3)).toBe(4); // 2 and 5 in the node: 4 (3|5) beats 2.5 (2|3)
  });

  it('never lets rounding send the larger value left', () => {
    const a = 1;
    const b = 1 + Number.EPSILON;
    const close = binFeatures([[a], [b]], 1, 256);
    const threshold = thresholdBetween(close, 0, 0, 1);
    expect(a <= threshold && b > threshold).toBe(true);
    const huge = binFeatures([[Number.MAX_VALUE], [-Number.MAX_VALUE]], 1, 256);
    expect(thresholdBetween(huge, 0, 0, 1)).toBe(0);
  });
});

describe('forest thresholds on the Cleveland reference split', () => {
  it('route every row in float32 as in float64, and are no training value', async () => {
    const split = await referenceSplit();
    const forest = new RandomForest({ nEstimators: 100, seed: 42 }).fit(
      split.trainFeatures,
      split.trainLabels,
    );
    const rows = [...split.trainFeatures, ...split.testFeatures];
    const trainValues = (f: number) => new Set(split.trainFeatures.map((row) => row[f]!));
    let misrouted = 0;
    for (const tree of forest.toJSON().trees) {
      const right = rightChildren(tree.feature);
      for (const [k, f] of tree.feature.entries()) {
        if (f >= 0) expect(trainValues(f).has(tree.value[k]!)).toBe(false);
      }
      for (const row of rows) {
        if (leaf(tree, right, row, (x) => x) !== leaf(tree, right, row, Math.fround)) misrouted++;
      }
    }
    expect(misrouted).toBe(0);
  });
});

function rightChildren(feature: readonly number[]): number[] {
  const right = new Array<number>(feature.length).fill(-1);
  let position = 0;
  const walk = (): void => {
    const k = position++;
    if (feature[k]! < 0) return;
    walk();
    right[k] = position;
    walk();
  };
  walk();
  return right;
}

function leaf(
  tree: { feature: number[]; value: number[] },
  right: number[],
  row: ArrayLike<number>,
  precision: (x: number) => number,
): number {
  let k = 0;
  while (tree.feature[k]! >= 0) {
    const goLeft = precision(row[tree.feature[k]!]!) <= precision(tree.value[k]!);
    k = goLeft ? k + 1 : right[k]!;
  }
  return k;
}
