import { describe, expect, it } from 'vitest';
import { parseMetricFile } from './metric-file.js';

describe('parseMetricFile', () => {
  it("reads Python's special floats, and no name every object inherits as one", () => {
    const points = parseMetricFile('loss', '1700000000000 NaN 0\n1700000000001 -Infinity 1\n');
    expect(points).toEqual([
      { key: 'loss', timestamp: 1700000000000, value: Number.NaN, step: 0 },
      { key: 'loss', timestamp: 1700000000001, value: -Infinity, step: 1 },
    ]);
    for (const value of ['constructor', '__proto__', 'toString', 'bogus']) {
      expect(parseMetricFile('loss', `1700000000000 ${value} 0\n`)).toBe(
        `metric 'loss' has value "${value}"`,
      );
    }
  });
});
