/** One tree in preorder (the left child of node k is k + 1), with its right-child links. */
export interface ForestTree {
  /** Split feature, or −1 for a leaf. */
  feature: Int32Array;
  /** Threshold (go left when value ≤ threshold) or, for a leaf, P(class 1). */
  value: Float64Array;
  /** Right child of each split node, within the tree (−1 for leaves). */
  right: Int32Array;
}

/** Every tree's nodes in one set of arrays, so prediction is one tight loop. */
export interface FlatForest {
  /** Where each tree's root is. */
  roots: Int32Array;
  feature: Int32Array;
  value: Float64Array;
  /** Right child of each split node, as an index into the flat arrays (−1 for leaves). */
  right: Int32Array;
}

/** Lays the trees end to end, turning their right-child links into flat indices. */
export function flattenTrees(trees: readonly ForestTree[]): FlatForest {
  const total = trees.reduce((sum, tree) => sum + tree.feature.length, 0);
  const forest: FlatForest = {
    roots: new Int32Array(trees.length),
    feature: new Int32Array(total),
    value: new Float64Array(total),
    right: new Int32Array(total),
  };
  let offset = 0;
  trees.forEach((tree, t) => {
    forest.roots[t] = offset;
    forest.feature.set(tree.feature, offset);
    forest.value.set(tree.value, offset);
    for (let k = 0; k < tree.right.length; k++)
      forest.right[offset + k] = tree.right[k]! < 0 ? -1 : tree.right[k]! + offset;
    offset += tree.feature.length;
  });
  return forest;
}

/** Each tree's features and values as plain arrays: the saved form. */
export function treesToJSON(forest: FlatForest): { feature: number[]; value: number[] }[] {
  const { roots, feature, value } = forest;
  return Array.from(roots, (root, t) => {
    const end = t + 1 < roots.length ? roots[t + 1]! : feature.length;
    return {
      feature: Array.from(feature.subarray(root, end)),
      value: Array.from(value.subarray(root, end)),
    };
  });
}

/** Rows scored together, tree by tree: a block's features stay in cache across the trees. */
const BLOCK_ROWS = 512;

/** A walk to its leaf, one branch a level (the rows or trees left over from groups of four). */
function leafOf(forest: FlatForest, root: number, x: ArrayLike<number>, offset: number): number {
  const { feature, value, right } = forest;
  let node = root;
  let f = feature[node]!;
  while (f >= 0) {
    node = x[offset + f]! <= value[node]! ? node + 1 : right[node]!;
    f = feature[node]!;
  }
  return node;
}

/**
 * P(class 1) of `rows` rows of a row-major block (`columns` wide) into `out`: the mean of the
 * trees' leaf values. Tree-major within blocks of rows — one tree's nodes stay hot while every
 * row of the block walks it (2× faster than row by row for 1,000 rows of a 100-tree forest,
 * measured) — and four rows walk each tree at once, in step (1.2–1.6× faster again for 100 rows
 * of the served 100-tree forest, measured: four independent chains of loads instead of one, and
 * no mispredicted branch). Each row's sum still adds the trees in order, so the bits are those of
 * a row-by-row walk.
 */
export function scoreRows(
  forest: FlatForest,
  features: Float64Array,
  columns: number,
  out: Float64Array,
  rows: number,
): void {
  const { roots, feature, value, right } = forest;
  for (let start = 0; start < rows; start += BLOCK_ROWS) {
    const end = Math.min(rows, start + BLOCK_ROWS);
    out.fill(0, start, end);
    for (let t = 0; t < roots.length; t++) {
      const root = roots[t]!;
      let i = start;
      for (; i + 4 <= end; i += 4) {
        const o0 = i * columns;
        const o1 = o0 + columns;
        const o2 = o1 + columns;
        const o3 = o2 + columns;
        let n0 = root;
        let n1 = root;
        let n2 = root;
        let n3 = root;
        let f0 = feature[root]!;
        let f1 = f0;
        let f2 = f0;
        let f3 = f0;
        // Until all four are at a leaf (feature −1), each walk that is not steps down: to the
        // left child (node + 1, preorder) when x ≤ threshold, else to the right one, by arithmetic
        // on the comparison (0 or 1), not a branch: a branch mispredicts about every other level
        // here. One walk at a time, the arithmetic is no faster (it loads `right` every level);
        // four at a time, the CPU overlaps their loads.
        while ((f0 & f1 & f2 & f3) >= 0) {
          if (f0 >= 0) {
            n0 = n0 + 1 + (+!(features[o0 + f0]! <= value[n0]!) | 0) * (right[n0]! - n0 - 1);
            f0 = feature[n0]!;
          }
          if (f1 >= 0) {
            n1 = n1 + 1 + (+!(features[o1 + f1]! <= value[n1]!) | 0) * (right[n1]! - n1 - 1);
            f1 = feature[n1]!;
          }
          if (f2 >= 0) {
            n2 = n2 + 1 + (+!(features[o2 + f2]! <= value[n2]!) | 0) * (right[n2]! - n2 - 1);
            f2 = feature[n2]!;
          }
          if (f3 >= 0) {
            n3 = n3 + 1 + (+!(features[o3 + f3]! <= value[n3]!) | 0) * (right[n3]! - n3 - 1);
            f3 = feature[n3]!;
          }
        }
        out[i]! += value[n0]!;
        out[i + 1]! += value[n1]!;
        out[i + 2]! += value[n2]!;
        out[i + 3]! += value[n3]!;
      }
      for (; i < end; i++) out[i]! += value[leafOf(forest, root, features, i * columns)]!;
    }
    for (let i = start; i < end; i++) out[i] = out[i]! / roots.length;
  }
}

/**
 * P(class 1) of one row: the mean of the trees' leaf values, four trees walked at once, in step
 * (1.45× faster than one at a time on the served forest, measured), added in tree order — the
 * bits of a walk tree by tree.
 */
export function scoreRow(forest: FlatForest, row: ArrayLike<number>): number {
  const { roots, feature, value, right } = forest;
  const trees = roots.length;
  let sum = 0;
  let t = 0;
  for (; t + 4 <= trees; t += 4) {
    let n0 = roots[t]!;
    let n1 = roots[t + 1]!;
    let n2 = roots[t + 2]!;
    let n3 = roots[t + 3]!;
    let f0 = feature[n0]!;
    let f1 = feature[n1]!;
    let f2 = feature[n2]!;
    let f3 = feature[n3]!;
    // As in scoreRows.
    while ((f0 & f1 & f2 & f3) >= 0) {
      if (f0 >= 0) {
        n0 = n0 + 1 + (+!(row[f0]! <= value[n0]!) | 0) * (right[n0]! - n0 - 1);
        f0 = feature[n0]!;
      }
      if (f1 >= 0) {
        n1 = n1 + 1 + (+!(row[f1]! <= value[n1]!) | 0) * (right[n1]! - n1 - 1);
        f1 = feature[n1]!;
      }
      if (f2 >= 0) {
        n2 = n2 + 1 + (+!(row[f2]! <= value[n2]!) | 0) * (right[n2]! - n2 - 1);
        f2 = feature[n2]!;
      }
      if (f3 >= 0) {
        n3 = n3 + 1 + (+!(row[f3]! <= value[n3]!) | 0) * (right[n3]! - n3 - 1);
        f3 = feature[n3]!;
      }
    }
    sum += value[n0]!;
    sum += value[n1]!;
    sum += value[n2]!;
    sum += value[n3]!;
  }
  for (; t < trees; t++) sum += value[leafOf(forest, roots[t]!, row, 0)]!;
  return sum / trees;
}
