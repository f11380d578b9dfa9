import { XSadd } from 'ml-xsadd';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors.js';
import { readFeatures } from './features.js';
import { LogisticCore } from './logistic-core.js';

/** Rows of `binary` 0/1 columns (`levels` patterns per column pair) and `continuous` columns. */
function table(rows: number, binary: number, continuous: number, seed: number): number[][] {
  const random = new XSadd(seed);
  return Array.from({ length: rows }, () => [
    ...Array.from({ length: binary }, () => (random.getFloat() < 0.4 ? 1 : 0)),
    ...Array.from({ length: continuous }, () => random.getFloat() * 4 - 2),
  ]);
}

/** Σ r x, Σ w x xᵀ written out, with the intercept (if any) as a last column of 1s. */
function naive(rows: number[][], probability: Float64Array, y: Uint8Array, intercept: boolean) {
  const d = rows[0]!.length + (intercept ? 1 : 0);
  const gradient = new Float64Array(d);
  const hessian = new Float64Array(d * d);
  rows.forEach((row, i) => {
    const x = intercept ? [...row, 1] : row;
    const p = probability[i]!;
    for (let a = 0; a < d; a++) {
      gradient[a]! += (p - y[i]!) * x[a]!;
      for (let b = 0; b <= a; b++) hessian[a * d + b]! += p * (1 - p) * x[a]! * x[b]!;
    }
  });
  return { gradient, hessian };
}

describe('the packed design of the Newton solver (WebAssembly)', () => {
  it.each([
    ['few patterns (grouped)', 400, 6, 3, 0, true, true],
    ['few patterns, 7 rows at a time', 400, 6, 3, 7, true, true],
    ['few patterns, no intercept', 400, 6, 3, 0, true, false],
    ['every column 0/1 (none kept per row)', 300, 5, 0, 0, true, true],
    ['a pattern per row (grouped still)', 60, 12, 2, 0, true, true],
    ['more than 4,096 patterns (one pattern, all columns kept)', 5000, 20, 2, 0, false, true],
    ['more than 4,096 patterns, 999 rows at a time', 5000, 20, 2, 999, false, true],
    ['more than 4,096 patterns, no intercept', 5000, 20, 2, 999, false, false],
    ['no 0/1 column', 50, 0, 4, 0, false, true],
  ])(
    'builds X·β, the gradient and XᵀWX exactly as written out: %s',
    (_, n, b, c, chunk, grouped, intercept) => {
      const rows = table(n as number, b as number, c as number, 5);
      const random = new XSadd(9);
      const probability = Float64Array.from(rows, () => random.getFloat());
      const y = Uint8Array.from(rows, () => (random.getFloat() < 0.5 ? 1 : 0));
      // `chunk` 0: one chunk of every row.
      const chunkRows = chunk === 0 ? rows.length : (chunk as number);
      const input = readFeatures(rows, 'test');
      const core = LogisticCore.load(input, y, intercept as boolean, 'test', chunkRows);
      expect(core.patterns > 1).toBe(grouped);
      expect(core.kept).toBe(grouped ? c : (b as number) + (c as number));
      const { gradient, hessian } = core.sums(probability);
      const expected = naive(rows, probability, y, intercept as boolean);
      expect(gradient).toHaveLength(expected.gradient.length);
      gradient.forEach((value, j) => {
        expect(value).toBeCloseTo(expected.gradient[j]!, 10);
      });
      hessian.forEach((value, k) => {
        expect(value).toBeCloseTo(expected.hessian[k]!, 10);
      });
      const beta = Float64Array.from({ length: core.d }, (_, j) => j / 10 - 0.5);
      const z = core.product(beta);
      rows.forEach((row, i) => {
        const start = intercept ? beta[core.p]! : 0;
        const direct = row.reduce((sum, value, j) => sum + value * beta[j]!, start);
        expect(z[i]).toBeCloseTo(direct, 12);
      });
    },
  );

  it("gives the grouping's memory back when it falls back to one pattern", () => {
    // 20 random 0/1 columns make far more than 5,000 patterns in 20,000 rows: the fallback.
    const y = Uint8Array.from({ length: 20_000 }, (_, i) => i % 2);
    const load = (binary: number) =>
      LogisticCore.load(
        readFeatures(table(20_000, binary, 22 - binary, 7), 'test'),
        y,
        true,
        'test',
      );
    const fallback = load(20);
    const dense = load(0);
    expect(fallback.patterns).toBe(1);
    // The same buffers but for the one pattern's list of 0/1 columns: within a page of 64 KiB.
    expect(fallback.memoryBytes).toBeLessThanOrEqual(dense.memoryBytes + 65_536);
  });

  it('solves a step by least squares when the Hessian is singular (a column twice)', () => {
    const random = new XSadd(21);
    const x = Array.from({ length: 400 }, () => random.getFloat() * 4 - 2);
    const y = Uint8Array.from(x, (value) =>
      random.getFloat() < 1 / (1 + Math.exp(-value)) ? 1 : 0,
    );
    const options = { C: 1e300, maxIter: 100, tol: 1e-8 };
    const once = LogisticCore.load(
      readFeatures(
        x.map((v) => [v]),
        'test',
      ),
      y,
      true,
      'test',
    );
    const twice = LogisticCore.load(
      readFeatures(
        x.map((v) => [v, v]),
        'test',
      ),
      y,
      true,
      'test',
    );
    const single = once.newton(options);
    const tied = twice.newton(options);
    expect(once.fallbacks).toBe(0);
    expect(twice.fallbacks).toBeGreaterThan(0);
    expect(tied.objective).toBeCloseTo(single.objective, 8);
    expect(tied.beta[0]! + tied.beta[1]!).toBeCloseTo(single.beta[0]!, 6);
    expect(tied.beta[2]).toBeCloseTo(single.beta[1]!, 6);
  });

  it('takes a maxIter past 2^31 as many iterations, not as a wrapped count', () => {
    const rows = table(500, 4, 2, 13);
    const y = Uint8Array.from(rows, (row) => (row[4]! > 0 ? 1 : 0));
    const fit = (maxIter: number) =>
      LogisticCore.load(readFeatures(rows, 'test'), y, true, 'test').newton({
        C: 1,
        maxIter,
        tol: 1e-4,
      });
    const usual = fit(100);
    expect(usual.converged).toBe(true);
    for (const maxIter of [2 ** 31, 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER]) {
      expect(fit(maxIter)).toEqual(usual);
    }
  });

  it('finds the same optimum whatever the chunk size, to the bit', () => {
    const rows = table(3000, 8, 3, 11);
    const random = new XSadd(3);
    const y = Uint8Array.from(rows, () => (random.getFloat() < 0.4 ? 1 : 0));
    const fit = (chunkRows: number) =>
      LogisticCore.load(readFeatures(rows, 'test'), y, true, 'test', chunkRows).newton({
        C: 1,
        maxIter: 100,
        tol: 1e-4,
      });
    const whole = fit(rows.length);
    expect(whole.converged).toBe(true);
    expect(fit(1)).toEqual(whole);
    expect(fit(257)).toEqual(whole);
  });

  it('names the row and feature of a value that is not finite, in any chunk', () => {
    const data = new Float64Array(40 * 3).fill(0.5);
    data[31 * 3 + 2] = Number.POSITIVE_INFINITY;
    const input = readFeatures({ data, rows: 40, columns: 3 }, 'fit', undefined, false);
    const y = Uint8Array.from({ length: 40 }, (_, i) => i % 2);
    for (const chunkRows of [40, 8]) {
      expect(() => LogisticCore.load(input, y, true, 'fit', chunkRows)).toThrow(
        'fit: row 31 feature 2 is Infinity; features must be finite numbers',
      );
    }
  });

  it('refuses a problem beyond the 4 GiB of a WebAssembly memory with a coded error', () => {
    const input = readFeatures([[0.5], [1.5]], 'fit');
    let error: unknown;
    try {
      // A chunk of 2^30 rows × 8 bytes is past 4 GiB by itself.
      LogisticCore.load(input, Uint8Array.of(0, 1), true, 'fit', 2 ** 30);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).code).toBe('INVALID_INPUT');
    expect((error as ModelError).message).toContain('(it holds at most 4 GiB)');
  });
});
