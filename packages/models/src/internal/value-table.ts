const BITS = new Float64Array(1);
const WORDS = new Uint32Array(BITS.buffer);

/**
 * The distinct values of one column and how often each occurs, up to `capacity` of them: an
 * open-addressing hash table on the values' bits. Binning a column of few distinct values (codes,
 * ages, one-hot 0/1) through it costs O(n), not a sort of the whole column.
 */
export class ValueTable {
  readonly capacity: number;
  /** The distinct values in order of first appearance, and their counts. */
  readonly values: Float64Array;
  readonly counts: Int32Array;
  size = 0;
  #mask: number;
  #keys: Float64Array;
  #ids: Int32Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.values = new Float64Array(capacity);
    this.counts = new Int32Array(capacity);
    this.#mask = 2 ** Math.ceil(Math.log2(capacity * 2)) - 1;
    this.#keys = new Float64Array(this.#mask + 1);
    this.#ids = new Int32Array(this.#mask + 1).fill(-1);
  }

  /** The id (order of first appearance) of `value`, counted once more; −1 once full. */
  add(value: number): number {
    // A column of few values (one-hot 0/1, small codes) never needs the hash: compare first.
    const size = this.size;
    const values = this.values;
    for (let id = 0; id < size && id < 4; id++) {
      if (values[id] === value) {
        this.counts[id]!++;
        return id;
      }
    }
    // 0 and −0 are one value, as in a sort's runs of equal values.
    BITS[0] = value === 0 ? 0 : value;
    let slot = Math.imul(WORDS[0]! ^ Math.imul(WORDS[1]!, 0x9e3779b1), 0x85ebca6b);
    slot = (slot ^ (slot >>> 15)) & this.#mask;
    const keys = this.#keys;
    const ids = this.#ids;
    for (;;) {
      const id = ids[slot]!;
      if (id < 0) break;
      if (keys[slot] === value) {
        this.counts[id]!++;
        return id;
      }
      slot = (slot + 1) & this.#mask;
    }
    if (this.size === this.capacity) return -1;
    const id = this.size++;
    keys[slot] = value;
    ids[slot] = id;
    this.values[id] = value;
    this.counts[id] = 1;
    return id;
  }
}
