/**
 * The XSadd generator of ml-xsadd (Mutsuo Saito and Makoto Matsumoto's xorshift-add), the same
 * stream for the same seed, with its state in four fields instead of a Uint32Array: a bootstrap
 * draws a number per row, so the generator is a hot loop of its own.
 */
export class Xsadd {
  s0 = 0;
  s1 = 0;
  s2 = 0;
  s3 = 0;

  constructor(seed: number) {
    const state: number[] = [seed >>> 0, 0, 0, 0];
    for (let i = 1; i < 8; i++) {
      const previous = state[(i - 1) & 3]!;
      state[i & 3] =
        (state[i & 3]! ^ ((i + multiplyUint32(1812433253, previous ^ (previous >>> 30))) >>> 0)) >>>
        0;
    }
    if (!state.some((word) => word !== 0)) state.splice(0, 4, 88, 83, 65, 68);
    [this.s0, this.s1, this.s2, this.s3] = state as [number, number, number, number];
    for (let i = 0; i < 8; i++) this.next();
  }

  /** Advances the state. */
  next(): void {
    let t = this.s0;
    t ^= t << 15;
    t ^= t >>> 18;
    t ^= this.s3 << 11;
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.s2 = this.s3;
    this.s3 = t >>> 0;
  }

  /** A 32-bit unsigned integer. */
  uint32(): number {
    this.next();
    return (this.s3 + this.s2) >>> 0;
  }

  /** A number in [0, 1): uint32 / 2³². */
  uniform(): number {
    return this.uint32() / 4294967296;
  }
}

function multiplyUint32(n: number, m: number): number {
  n >>>= 0;
  m >>>= 0;
  const low = n & 0xffff;
  const high = n - low;
  return (((high * m) >>> 0) + low * m) >>> 0;
}
