import { PreprocessingError } from '../errors.js';

const kind = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;

/** A constructor's options: an object (or `undefined`: none); `INVALID_OPTION` otherwise. */
export function readOptions<T extends object>(options: T | undefined, what: string): Partial<T> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new PreprocessingError({
      code: 'INVALID_OPTION',
      message: `${what}: options must be an object, got ${kind(options)}`,
    });
  }
  return options;
}

/** A boolean option with its default; `INVALID_OPTION` for anything but `true`, `false` or `undefined`. */
export function readFlag(value: unknown, name: string, fallback: boolean, what: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new PreprocessingError({
      code: 'INVALID_OPTION',
      message: `${what}: ${name} must be true or false, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`,
    });
  }
  return value;
}
