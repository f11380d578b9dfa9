import { XSadd } from 'ml-xsadd';
import { PreprocessingError } from '../errors.js';

/** A seeded generator of floats in [0, 1) (mljs's XSadd). */
export function createRandom(seed: number): () => number {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new PreprocessingError({
      code: 'INVALID_OPTION',
      message: `seed must be an integer in 0..4294967295, got ${seed}`,
    });
  }
  const generator = new XSadd(seed);
  return () => generator.getUint32() / 4294967296;
}

/** Fisher–Yates shuffle in place. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = items[i]!;
    items[i] = items[j]!;
    items[j] = swap;
  }
  return items;
}
