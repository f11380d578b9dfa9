import { ModelError } from '../errors.js';

/** A parsed object as is, or JSON text parsed; `INVALID_JSON` when the text does not parse. */
export function parseJsonInput(json: unknown, what: string): unknown {
  if (typeof json !== 'string') return json;
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new ModelError({
      code: 'INVALID_JSON',
      message: `${what}: not valid JSON`,
      cause: error,
    });
  }
}

/** Accepts a parsed object or JSON text and checks its `kind` and `formatVersion`. */
export function readModelState<T extends { kind: string; formatVersion: number }>(
  json: unknown,
  kind: T['kind'],
  formatVersion: number,
): T {
  const value = parseJsonInput(json, kind);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ModelError({ code: 'INVALID_JSON', message: `${kind}: expected a JSON object` });
  }
  const state = value as Record<string, unknown>;
  if (state.kind !== kind) {
    throw new ModelError({
      code: 'INVALID_JSON',
      message: `expected kind "${kind}", got ${JSON.stringify(state.kind)}`,
    });
  }
  if (state.formatVersion !== formatVersion) {
    throw new ModelError({
      code: 'INVALID_JSON',
      message: `${kind}: formatVersion ${JSON.stringify(state.formatVersion)} is not supported (this version reads ${formatVersion})`,
    });
  }
  return value as T;
}

/** Throws `INVALID_JSON` with `message` unless `condition` holds. */
export function check(condition: unknown, kind: string, message: string): asserts condition {
  if (!condition) throw new ModelError({ code: 'INVALID_JSON', message: `${kind}: ${message}` });
}

/** True for an array of finite numbers (of `length`, when given). */
export function isFiniteArray(value: unknown, length?: number): value is number[] {
  return (
    Array.isArray(value) &&
    (length === undefined || value.length === length) &&
    value.every((item) => typeof item === 'number' && Number.isFinite(item))
  );
}

/** True for an array of strings (of `length`, when given). */
export function isStringArray(value: unknown, length?: number): value is string[] {
  return (
    Array.isArray(value) &&
    (length === undefined || value.length === length) &&
    value.every((item) => typeof item === 'string')
  );
}
