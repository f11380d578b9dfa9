import { findNonBinaryLabel, formatLabel } from '@heart/internal';
import { MetricsError } from '../errors.js';

import type { Labels, Scores } from '../types.js';

/** Checks labels (0/1) and scores (finite; within [0, 1] when `probabilities`), same non-zero length. */
export function assertInputs(
  labels: unknown,
  scores: unknown,
  what: string,
  probabilities = false,
): { labels: Labels; scores: Scores; positives: number } {
  const y = asArrayLike(labels, what, 'labels');
  const s = asArrayLike(scores, what, 'scores');
  if (y.length !== s.length) {
    throw new MetricsError({
      code: 'LENGTH_MISMATCH',
      message: `${what}: ${y.length} labels but ${s.length} scores`,
    });
  }
  if (y.length === 0)
    throw new MetricsError({ code: 'EMPTY_INPUT', message: `${what}: no labels` });
  const bad = findNonBinaryLabel(y);
  if (bad) {
    throw new MetricsError({
      code: 'INVALID_LABEL',
      message: `${what}: labels[${bad.index}] is ${formatLabel(bad.value)}, expected 0 or 1`,
    });
  }
  let positives = 0;
  for (let i = 0; i < y.length; i++) {
    positives += y[i] as number;
    const score = s[i];
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      throw new MetricsError({
        code: 'INVALID_SCORE',
        message: `${what}: scores[${i}] is ${String(score)}, expected a finite number`,
      });
    }
    if (probabilities && (score < 0 || score > 1)) {
      throw new MetricsError({
        code: 'INVALID_SCORE',
        message: `${what}: scores[${i}] is ${score}, expected a probability in [0, 1]`,
      });
    }
  }
  return { labels: y as Labels, scores: s as Scores, positives };
}

/** Throws `SINGLE_CLASS` unless both classes occur. */
export function assertBothClasses(positives: number, total: number, what: string): void {
  if (positives === 0 || positives === total) {
    throw new MetricsError({
      code: 'SINGLE_CLASS',
      message: `${what} is undefined: labels hold only class ${positives === 0 ? 0 : 1} (${total} rows); it needs both classes`,
    });
  }
}

/** The decision threshold: a finite number; a score ≥ threshold is predicted positive. */
export function readThreshold(threshold: unknown, what: string): number {
  const value = threshold ?? 0.5;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new MetricsError({
      code: 'INVALID_OPTION',
      message: `${what}: threshold must be a finite number, got ${String(value)}`,
    });
  }
  return value;
}

function asArrayLike(value: unknown, what: string, name: string): ArrayLike<unknown> {
  if (Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView))) {
    return value as ArrayLike<unknown>;
  }
  throw new MetricsError({
    code: 'INVALID_OPTION',
    message: `${what}: ${name} must be an array or typed array, got ${value === null ? 'null' : typeof value}`,
  });
}

/** `options` when it is an object (or `undefined`: none); `INVALID_OPTION` for null or a non-object. */
export function readOptions<T extends object>(options: T | undefined, what: string): Partial<T> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new MetricsError({
      code: 'INVALID_OPTION',
      message: `${what}: options must be an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`,
    });
  }
  return options;
}

/** A boolean option with its default; `INVALID_OPTION` for anything but `true`, `false` or `undefined`. */
export function readFlag(value: unknown, name: string, fallback: boolean, what: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new MetricsError({
      code: 'INVALID_OPTION',
      message: `${what}: ${name} must be true or false, got ${String(value)}`,
    });
  }
  return value;
}
