import { PreprocessingError } from '../errors.js';

const STATE_SIZE = 624;
const SHIFT_SIZE = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const TWO_32 = 4294967296;

/** Throws unless `seed` is an integer numpy's `RandomState(seed)` accepts: `0..2**32 - 1`. */
export function assertNumpySeed(seed: unknown, what: string): asserts seed is number {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new PreprocessingError({
      code: 'INVALID_OPTION',
      message: `${what}: seed must be an integer in 0..4294967295 (numpy's RandomState range), got ${String(seed)}`,
    });
  }
}

/** The smallest all-ones bit mask ≥ `value`, for `0 < value ≤ 0xffffffff`. */
function mask32(value: number): number {
  let mask = value;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  return mask >>> 0;
}

/**
 * numpy's legacy `np.random.RandomState(seed)` for an integer seed: MT19937 seeded with
 * `init_genrand(seed)` (numpy's `_legacy_seeding`; `init_by_array` is only for array seeds), and
 * the draws scikit-learn's splitters make: `random_interval`, `shuffle`, `permutation`, `choice`.
 */
export class NumpyRandomState {
  readonly #state = new Uint32Array(STATE_SIZE);
  #position = STATE_SIZE;

  constructor(seed: number) {
    assertNumpySeed(seed, 'RandomState');
    const state = this.#state;
    state[0] = seed;
    for (let i = 1; i < STATE_SIZE; i++) {
      const previous = state[i - 1]!;
      state[i] = (Math.imul(1812433253, previous ^ (previous >>> 30)) + i) >>> 0;
    }
  }

  /** The next 32-bit output (`mt19937_next32`), as an unsigned integer. */
  nextUint32(): number {
    if (this.#position >= STATE_SIZE) this.#twist();
    let y = this.#state[this.#position++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * A uniform integer in `0..max` by numpy's `random_interval`: mask the draw to the smallest
   * bit mask ≥ `max` and retry while it exceeds `max`; one 32-bit draw per try when
   * `max ≤ 0xffffffff`, else a 64-bit draw (high word first). `max` up to 2**53 − 1.
   */
  randomInterval(max: number): number {
    if (max === 0) return 0;
    if (max <= 0xffffffff) {
      const mask = mask32(max);
      let value: number;
      do value = (this.nextUint32() & mask) >>> 0;
      while (value > max);
      return value;
    }
    const highMask = mask32(Math.floor(max / TWO_32));
    let value: number;
    do {
      const high = (this.nextUint32() & highMask) >>> 0;
      value = high * TWO_32 + this.nextUint32();
    } while (value > max);
    return value;
  }

  /** `RandomState.shuffle(items)` in place: Fisher–Yates from the end, `j = random_interval(i)`. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.randomInterval(i);
      const swap = items[i]!;
      items[i] = items[j]!;
      items[j] = swap;
    }
    return items;
  }

  /** `RandomState.permutation(n)`: `arange(n)`, shuffled. */
  permutation(n: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  /** `RandomState.choice(items, size, replace=False)`: `items[permutation(len(items))[:size]]`. */
  choice<T>(items: readonly T[], size: number): T[] {
    return this.permutation(items.length)
      .slice(0, size)
      .map((index) => items[index]!);
  }

  #twist(): void {
    const state = this.#state;
    for (let i = 0; i < STATE_SIZE; i++) {
      const y = (state[i]! & UPPER_MASK) | (state[(i + 1) % STATE_SIZE]! & LOWER_MASK);
      state[i] = state[(i + SHIFT_SIZE) % STATE_SIZE]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    this.#position = 0;
  }
}
