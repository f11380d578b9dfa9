import { findNonBinaryLabel, formatLabel } from '@heart/internal';
import { ModelError } from '../errors.js';

/** Checks a non-empty rectangular matrix of finite numbers; returns its width. */
export function assertFeatures(features: unknown, what: string, width?: number): number {
  if (!Array.isArray(features)) {
    throw new ModelError({
      code: 'INVALID_INPUT',
      message: `${what}: features must be an array of rows`,
    });
  }
  if (features.length === 0)
    throw new ModelError({ code: 'INVALID_INPUT', message: `${what}: features hold no rows` });
  const expected = width ?? rowLength(features[0], 0, what);
  // As a dense matrix with 0 columns is refused: a model of no features is no model.
  if (expected === 0)
    throw new ModelError({ code: 'INVALID_INPUT', message: `${what}: row 0 has no features` });
  for (let i = 0; i < features.length; i++) assertRow(features[i], expected, what, i);
  return expected;
}

/** Checks one row: `width` finite numbers. */
export function assertRow(row: unknown, width: number, what: string, index = 0): void {
  const length = rowLength(row, index, what);
  if (length !== width) {
    throw new ModelError({
      code: 'SHAPE_MISMATCH',
      message: `${what}: row ${index} has ${length} features, expected ${width}`,
    });
  }
  const values = row as ArrayLike<unknown>;
  for (let j = 0; j < width; j++) {
    const value = values[j];
    // Number.isFinite does not coerce: false for strings, null, NaN and ±Infinity alike.
    if (!Number.isFinite(value)) {
      throw new ModelError({
        code: 'INVALID_INPUT',
        message: `${what}: row ${index} feature ${j} is ${String(value)}; features must be finite numbers (impute and encode first)`,
      });
    }
  }
}

function rowLength(row: unknown, index: number, what: string): number {
  if (!Array.isArray(row) && !(ArrayBuffer.isView(row) && !(row instanceof DataView))) {
    throw new ModelError({
      code: 'INVALID_INPUT',
      message: `${what}: row ${index} is not an array of numbers`,
    });
  }
  return (row as ArrayLike<unknown>).length;
}

/** Checks 0/1 labels, one per row, with both classes present; returns them as bytes. */
export function assertLabels(labels: unknown, rows: number, what: string): Uint8Array {
  if (!Array.isArray(labels) && !(ArrayBuffer.isView(labels) && !(labels instanceof DataView))) {
    throw new ModelError({
      code: 'INVALID_INPUT',
      message: `${what}: labels must be an array of 0/1`,
    });
  }
  const values = labels as ArrayLike<unknown>;
  if (values.length !== rows) {
    throw new ModelError({
      code: 'SHAPE_MISMATCH',
      message: `${what}: ${values.length} labels for ${rows} rows`,
    });
  }
  const bad = findNonBinaryLabel(values);
  if (bad) {
    throw new ModelError({
      code: 'INVALID_INPUT',
      message: `${what}: label ${bad.index} is ${formatLabel(bad.value)}, expected 0 or 1`,
    });
  }
  const out = Uint8Array.from(values as ArrayLike<number>);
  let positives = 0;
  for (let i = 0; i < rows; i++) positives += out[i]!;
  if (positives === 0 || positives === rows) {
    throw new ModelError({
      code: 'SINGLE_CLASS',
      message: `${what}: labels hold only class ${positives === 0 ? 0 : 1}; a classifier needs both`,
    });
  }
  return out;
}

/** Feature names: the given ones (checked) or `x0…`. */
export function readFeatureNames(names: unknown, width: number, what: string): string[] {
  if (names === undefined) return Array.from({ length: width }, (_, j) => `x${j}`);
  if (
    !Array.isArray(names) ||
    names.length !== width ||
    names.some((name) => typeof name !== 'string')
  ) {
    throw new ModelError({
      code: 'INVALID_OPTION',
      message: `${what}: featureNames must be ${width} strings, one per feature column`,
    });
  }
  return [...names];
}

/** The decision threshold: a finite number. */
export function readThreshold(threshold: unknown): number {
  const value = threshold ?? 0.5;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ModelError({
      code: 'INVALID_OPTION',
      message: `predict: threshold must be a finite number, got ${String(value)}`,
    });
  }
  return value;
}

/** Throws `INVALID_OPTION` unless `value` is an integer within [min, max]. */
export function integerOption(
  name: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ModelError({
      code: 'INVALID_OPTION',
      message: `${name} must be an integer in ${min}..${max === Number.MAX_SAFE_INTEGER ? '∞' : max}, got ${String(value)}`,
    });
  }
  return value;
}

/** Throws `INVALID_OPTION` unless `value` is a positive finite number. */
export function positiveOption(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ModelError({
      code: 'INVALID_OPTION',
      message: `${name} must be a positive number, got ${String(value)}`,
    });
  }
  return value;
}

/**
 * Throws `INVALID_OPTION` for an options object that is not an object, or that names an option
 * `known` does not list — a typo or scikit-learn's snake_case would otherwise be dropped without a
 * word (and the default used). `aliases` maps a likely name to the right one for the hint.
 */
export function assertKnownOptions(
  what: string,
  options: unknown,
  known: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): void {
  readCallOptions(options as object, what);
  for (const name of Object.keys(options as object)) {
    if (known.includes(name)) continue;
    const camel = name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
    const suggestion = Object.hasOwn(aliases, camel) ? aliases[camel] : camel;
    const hint = suggestion && known.includes(suggestion) ? `; did you mean "${suggestion}"?` : '';
    throw new ModelError({
      code: 'INVALID_OPTION',
      message: `${what}: unknown option "${name}"${hint} (options: ${known.join(', ')})`,
    });
  }
}

/** A call's `options` (fit, predict): an object, else `INVALID_OPTION` — not a TypeError on null. */
export function readCallOptions<T extends object>(options: T, what: string): T {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ModelError({
      code: 'INVALID_OPTION',
      message: `${what}: options must be an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`,
    });
  }
  return options;
}
