import { XSadd } from 'ml-xsadd';
import { describe, expect, it } from 'vitest';
import { Xsadd } from './xsadd.js';

describe('Xsadd', () => {
  it("gives ml-xsadd's stream for the same seed", () => {
    for (const seed of [0, 1, 42, 12345, 0x7fffffff, 0xffffffff]) {
      const reference = new XSadd(seed);
      const ours = new Xsadd(seed);
      for (let k = 0; k < 2000; k++) expect(ours.uint32()).toBe(reference.getUint32());
    }
  });
});
