import type { FeatureInput } from './features.js';

/**
 * The design matrix of a logistic regression, packed for `XᵀWX`. Tabular features after one-hot
 * encoding are mostly 0/1 columns: every row's set of 0/1 columns that are 1 (its *pattern*) is
 * one of few, so the per-row work is done only on the other (`q`) columns and summed per pattern;
 * the pattern sums are spread over the Hessian once per iteration. Rows with very many distinct
 * patterns fall back to one pattern and all columns dense.
 */
export interface Design {
  /** Rows, features, unknowns (features + intercept). */
  readonly n: number;
  readonly p: number;
  readonly d: number;
  /** Columns kept per row (not 0/1, or all of them in the fallback) and their indices, ascending. */
  readonly q: number;
  readonly other: Int32Array;
  /** Row-major n × q values of those columns. */
  readonly values: Float64Array;
  /** Pattern of each row. */
  readonly pattern: Int32Array;
  readonly patterns: number;
  /** Unknowns equal to 1 in each pattern (ascending; the intercept, index p, last). */
  readonly activeStart: Int32Array;
  readonly active: Int32Array;
}

/** Builds the packed design of `input` (validated already), with an intercept column if asked. */
export function buildDesign(input: FeatureInput, intercept: boolean): Design {
  const { n, p } = input;
  // One Float64Array for every later pass: a row's reads then have one type, whatever the input.
  const data = input.dense ?? packRows(input.rows!, n, p);
  const binary = binaryColumns(data, n, p);
  const grouped = binary.length > 0 ? groupPatterns(data, n, p, binary) : undefined;
  const used = grouped ? binary : [];
  const kept: number[] = [];
  for (let j = 0; j < p; j++) if (!used.includes(j)) kept.push(j);
  const q = kept.length;
  let values = data;
  if (q < p) {
    values = new Float64Array(n * q);
    const columns = Int32Array.from(kept);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < q; a++) values[i * q + a] = data[i * p + columns[a]!]!;
    }
  }
  const representatives = grouped?.representatives ?? [0];
  const activeStart = new Int32Array(representatives.length + 1);
  const active: number[] = [];
  representatives.forEach((i, g) => {
    for (const j of used) if (data[i * p + j] === 1) active.push(j);
    if (intercept) active.push(p);
    activeStart[g + 1] = active.length;
  });
  return {
    n,
    p,
    d: p + (intercept ? 1 : 0),
    q,
    other: Int32Array.from(kept),
    values,
    pattern: grouped?.pattern ?? new Int32Array(n),
    patterns: representatives.length,
    activeStart,
    active: Int32Array.from(active),
  };
}

function packRows(rows: readonly ArrayLike<number>[], n: number, p: number): Float64Array {
  const data = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    const offset = i * p;
    for (let j = 0; j < p; j++) data[offset + j] = row[j]!;
  }
  return data;
}

/** The columns holding only 0 and 1, in one pass over the rows. */
function binaryColumns(data: Float64Array, n: number, p: number): number[] {
  const flags = new Uint8Array(p).fill(1);
  for (let i = 0; i < n; i++) {
    const offset = i * p;
    for (let j = 0; j < p; j++) {
      const value = data[offset + j]!;
      if (value !== 0 && value !== 1) flags[j] = 0;
    }
  }
  const binary: number[] = [];
  for (let j = 0; j < p; j++) if (flags[j] === 1) binary.push(j);
  return binary;
}

/**
 * Gives each row the id of its pattern over the `binary` columns: the columns that are 1 as a
 * bit set in 31-bit words, looked up by open addressing (exact: the words are compared);
 * `undefined` beyond 4,096 patterns or a quarter of the rows, whichever is more.
 */
function groupPatterns(
  data: Float64Array,
  n: number,
  p: number,
  binary: readonly number[],
): { pattern: Int32Array; representatives: number[] } | undefined {
  // Per row, a group's work is 1 + 2q + q(q+1)/2 sums instead of a dense row's p(p+1)/2, and a
  // pattern costs about one dense row once per iteration: grouping pays even with a pattern per
  // row. The limit only bounds the per-pattern sums' memory.
  const limit = Math.max(4096, n >> 2);
  const columns = Int32Array.from(binary);
  const words = Math.ceil(columns.length / 31);
  const key = new Int32Array(words);
  const keys: number[] = [];
  const hashes: number[] = [];
  const representatives: number[] = [];
  const pattern = new Int32Array(n);
  let mask = 1023;
  let slots: Int32Array = new Int32Array(mask + 1).fill(-1);
  for (let i = 0; i < n; i++) {
    const offset = i * p;
    for (let w = 0; w < words; w++) key[w] = 0;
    for (let k = 0; k < columns.length; k++) {
      if (data[offset + columns[k]!] === 1) key[(k / 31) | 0]! |= 1 << (k % 31);
    }
    let hash = 0x811c9dc5;
    for (let w = 0; w < words; w++) hash = Math.imul(hash ^ key[w]!, 0x01000193);
    let slot = hash & mask;
    let id = slots[slot]!;
    while (id >= 0 && !(hashes[id] === hash && sameKey(key, keys, id))) {
      slot = (slot + 1) & mask;
      id = slots[slot]!;
    }
    if (id < 0) {
      id = representatives.length;
      if (id >= limit) return undefined;
      representatives.push(i);
      hashes.push(hash);
      for (let w = 0; w < words; w++) keys.push(key[w]!);
      slots[slot] = id;
      if (representatives.length * 2 > mask) {
        mask = mask * 2 + 1;
        slots = rehash(hashes, mask);
      }
    }
    pattern[i] = id;
  }
  return { pattern, representatives };
}

function sameKey(key: Int32Array, keys: readonly number[], id: number): boolean {
  const words = key.length;
  for (let w = 0; w < words; w++) if (keys[id * words + w] !== key[w]) return false;
  return true;
}

function rehash(hashes: readonly number[], mask: number): Int32Array {
  const slots = new Int32Array(mask + 1).fill(-1);
  hashes.forEach((hash, id) => {
    let slot = hash & mask;
    while (slots[slot]! >= 0) slot = (slot + 1) & mask;
    slots[slot] = id;
  });
  return slots;
}
