import { PreprocessingError } from '../errors.js';

/** Accepts a parsed object or a JSON string and checks its `kind` and `formatVersion`. */
export function readState<T extends { kind: string; formatVersion: number }>(
  json: unknown,
  kind: T['kind'],
  formatVersion: number,
): T {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new PreprocessingError({
        code: 'INVALID_JSON',
        message: `${kind}: not valid JSON`,
        cause: error,
      });
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PreprocessingError({
      code: 'INVALID_JSON',
      message: `${kind}: expected a JSON object`,
    });
  }
  const state = value as Record<string, unknown>;
  if (state.kind !== kind) {
    throw new PreprocessingError({
      code: 'INVALID_JSON',
      message: `expected kind "${kind}", got ${JSON.stringify(state.kind)}`,
    });
  }
  if (state.formatVersion !== formatVersion) {
    throw new PreprocessingError({
      code: 'INVALID_JSON',
      message: `${kind}: formatVersion ${JSON.stringify(state.formatVersion)} is not supported (this version reads ${formatVersion})`,
    });
  }
  return value as T;
}

/** Throws `INVALID_JSON` with `message` unless `condition` holds. */
export function check(condition: unknown, kind: string, message: string): asserts condition {
  if (!condition)
    throw new PreprocessingError({ code: 'INVALID_JSON', message: `${kind}: ${message}` });
}

/** True for an array of numbers (JSON has no NaN: `null` stands for it where allowed). */
export function isNumberArray(value: unknown, length?: number): value is number[] {
  return (
    Array.isArray(value) &&
    (length === undefined || value.length === length) &&
    value.every((item) => typeof item === 'number' && Number.isFinite(item))
  );
}
