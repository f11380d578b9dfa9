// The packed design matrix of a logistic regression, for `XᵀWX`. The rows arrive a chunk at a
// time, twice: `scan` checks them and finds the 0/1 columns, `group` packs them.

import {
  alloc,
  lf,
  li,
  mark,
  OK,
  release,
  reset,
  sf,
  si,
  status,
  TOO_MANY_PATTERNS,
} from './memory';

// The problem: rows, features, unknowns (features + intercept), whether there is an intercept.
export let n: i32 = 0;
export let p: i32 = 0;
export let d: i32 = 0;
export let intercept: bool = false;
export let chunk: usize = 0;
export let flags: usize = 0;
export let y: usize = 0;

// The packed design (see prepare): kept columns per row, their values, each row's pattern.
export let q: i32 = 0;
export let other: usize = 0;
export let values: usize = 0;
export let pattern: usize = 0;
export let patterns: i32 = 0;
export let activeStart: usize = 0;
export let active: usize = 0;

// Grouping: the 0/1 columns, their bit-set keys per pattern (31 bits a word), an open-addressing
// table of pattern ids.
export let binaryCount: i32 = 0;
export let binary: usize = 0;
export let words: i32 = 0;
export let key: usize = 0;
export let keys: usize = 0;
export let hashes: usize = 0;
export let slots: usize = 0;
export let mask: i32 = 0;
export let limit: i32 = 0;
export let grouped: bool = false;
// Where prepare's buffers start: dense takes them back.
let prepared: usize = 0;

/**
 * Starts a fit of `rows` × `columns` with room for `chunkRows` rows at a time in `chunkPointer()`;
 * the caller writes the labels (0/1 bytes) at `labelsPointer()`.
 */
export function begin(rows: i32, columns: i32, withIntercept: i32, chunkRows: i32): i32 {
  reset();
  n = rows;
  p = columns;
  intercept = withIntercept !== 0;
  d = p + (intercept ? 1 : 0);
  binaryCount = 0;
  patterns = 0;
  grouped = false;
  chunk = alloc(<u64>chunkRows * <u64>p * 8);
  flags = alloc(<u64>p);
  y = alloc(<u64>n);
  if (status() === OK) memory.fill(flags, 1, <usize>p);
  return status();
}

export function chunkPointer(): usize {
  return chunk;
}

export function labelsPointer(): usize {
  return y;
}

/**
 * Checks the `rows` rows in the chunk: returns the index in the chunk of the first value that is
 * not finite, or -1; notes the columns that hold something other than 0 and 1.
 */
export function scan(rows: i32): i32 {
  for (let r = 0; r < rows; r++) {
    const offset = r * p;
    for (let j = 0; j < p; j++) {
      const value = lf(chunk, offset + j);
      if (!(value - value === 0)) return offset + j;
      if (value !== 0 && value !== 1) store<u8>(flags + <usize>j, 0);
    }
  }
  return -1;
}

/**
 * After every row is scanned: tabular features after one-hot encoding are mostly 0/1 columns, and
 * every row's set of 0/1 columns that are 1 (its pattern) is one of few. The per-row work is then
 * done on the other `q` columns only and summed per pattern; the pattern sums are spread over the
 * Hessian once per iteration. Without a 0/1 column, or with too many patterns (see group), one
 * pattern and every column dense.
 */
export function prepare(): i32 {
  prepared = mark();
  binary = alloc(<u64>p * 4);
  if (status() !== OK) return status();
  for (let j = 0; j < p; j++) {
    if (load<u8>(flags + <usize>j) === 1) si(binary, binaryCount++, j);
  }
  if (binaryCount === 0) return dense();
  grouped = true;
  // Per row, a group's work is 1 + 2q + q(q+1)/2 sums instead of a dense row's p(p+1)/2, and a
  // pattern costs about one dense row once per iteration: grouping pays even with a pattern per
  // row. The limit only bounds the per-pattern sums' memory.
  limit = max(4096, n >> 2);
  if (limit > n) limit = n;
  words = (binaryCount + 30) / 31;
  let size: i32 = 1024;
  while (size < 2 * limit + 2) size <<= 1;
  mask = size - 1;
  q = p - binaryCount;
  other = alloc(<u64>q * 4);
  key = alloc(<u64>words * 4);
  keys = alloc(<u64>limit * <u64>words * 4);
  hashes = alloc(<u64>limit * 4);
  slots = alloc(<u64>size * 4);
  pattern = alloc(<u64>n * 4);
  values = alloc(<u64>n * <u64>q * 8);
  if (status() !== OK) return status();
  memory.fill(slots, 0xff, (<usize>size) << 2);
  let a = 0;
  for (let j = 0; j < p; j++) if (load<u8>(flags + <usize>j) !== 1) si(other, a++, j);
  return OK;
}

/** Gives up grouping: one pattern, every column kept; the rows are then fed to group again. */
export function dense(): i32 {
  // The grouping's buffers (its values, keys and table) go: never two packed copies at once.
  release(prepared);
  grouped = false;
  q = p;
  patterns = 1;
  other = alloc(<u64>p * 4);
  pattern = alloc(<u64>n * 4);
  values = alloc(<u64>n * <u64>p * 8);
  if (status() !== OK) return status();
  for (let j = 0; j < p; j++) si(other, j, j);
  return OK;
}

/**
 * Packs the `rows` rows in the chunk, rows `first` on: their pattern ids (first seen, first
 * numbered; looked up by their exact keys) and kept values. TOO_MANY_PATTERNS past 4,096
 * patterns or a quarter of the rows, whichever is more: the caller then calls dense.
 */
export function group(rows: i32, first: i32): i32 {
  if (!grouped) {
    memory.copy(values + ((<usize>first * <usize>p) << 3), chunk, (<usize>rows * <usize>p) << 3);
    return OK;
  }
  for (let r = 0; r < rows; r++) {
    const offset = r * p;
    memory.fill(key, 0, (<usize>words) << 2);
    for (let k = 0; k < binaryCount; k++) {
      if (lf(chunk, offset + li(binary, k)) === 1) {
        const at = key + ((<usize>(k / 31)) << 2);
        store<i32>(at, load<i32>(at) | (1 << (k % 31)));
      }
    }
    let hash: i32 = 0x811c9dc5;
    for (let w = 0; w < words; w++) hash = (hash ^ li(key, w)) * 0x01000193;
    let slot = hash & mask;
    let id = li(slots, slot);
    while (id >= 0 && !(li(hashes, id) === hash && sameKey(id))) {
      slot = (slot + 1) & mask;
      id = li(slots, slot);
    }
    if (id < 0) {
      id = patterns;
      if (id >= limit) return TOO_MANY_PATTERNS;
      patterns++;
      si(hashes, id, hash);
      memory.copy(keys + ((<usize>id * <usize>words) << 2), key, (<usize>words) << 2);
      si(slots, slot, id);
    }
    const row = first + r;
    si(pattern, row, id);
    const out = <i32>(<usize>row * <usize>q);
    for (let a = 0; a < q; a++) sf(values, out + a, lf(chunk, offset + li(other, a)));
  }
  return OK;
}

function sameKey(id: i32): bool {
  const base = id * words;
  for (let w = 0; w < words; w++) if (li(keys, base + w) !== li(key, w)) return false;
  return true;
}

/** After every row is packed: each pattern's unknowns equal to 1. */
export function pack(): i32 {
  activeStart = alloc(<u64>(patterns + 1) * 4);
  active = alloc(<u64>patterns * <u64>(binaryCount + 1) * 4);
  if (status() !== OK) return status();
  let e = 0;
  for (let g = 0; g < patterns; g++) {
    if (grouped) {
      for (let k = 0; k < binaryCount; k++) {
        if ((li(keys, g * words + k / 31) >>> (k % 31)) & 1) si(active, e++, li(binary, k));
      }
    }
    if (intercept) si(active, e++, p);
    si(activeStart, g + 1, e);
  }
  return OK;
}

export function patternCount(): i32 {
  return patterns;
}

export function keptCount(): i32 {
  return q;
}
