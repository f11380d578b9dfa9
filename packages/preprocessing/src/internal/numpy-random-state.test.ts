import { describe, expect, it } from 'vitest';
import { sklearnSplits } from '../test-support/sklearn-splits.js';
import { NumpyRandomState } from './numpy-random-state.js';

function draw(random: NumpyRandomState, recorded: (typeof sklearnSplits.random_state)[number]) {
  switch (recorded.op) {
    case 'permutation':
      return random.permutation(recorded.n);
    case 'uint32':
      return Array.from({ length: recorded.n }, () => random.nextUint32());
    case 'bounded':
      return recorded.maxes.map((max) => random.randomInterval(max));
    case 'choice':
      return random.choice(recorded.items, recorded.size);
  }
}

describe('NumpyRandomState', () => {
  it.each(sklearnSplits.random_state.map((recorded) => [recorded.name, recorded] as const))(
    'draws what numpy 1.24 RandomState draws: %s',
    (_, recorded) => {
      expect(draw(new NumpyRandomState(recorded.seed), recorded)).toEqual(recorded.expected);
    },
  );

  it('shuffles in place, as permutation does', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    expect(new NumpyRandomState(7).shuffle(items)).toBe(items);
    expect(items).toEqual(new NumpyRandomState(7).permutation(50));
  });

  it('refuses seeds numpy refuses', () => {
    for (const seed of [-1, 2 ** 32, 1.5, Number.NaN]) {
      expect(() => new NumpyRandomState(seed)).toThrow(
        /seed must be an integer in 0\.\.4294967295/,
      );
    }
  });
});
