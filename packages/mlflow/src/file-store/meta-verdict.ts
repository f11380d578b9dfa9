import { MlflowError } from '../errors.js';
import { parseFlatMapping, parseYaml } from '../internal/yaml.js';

/** What a reader concluded about one `meta.yaml`. */
export type MetaVerdict<T> =
  | { kind: 'ok'; value: T }
  /** MLflow skips this folder and lists the rest. */
  | { kind: 'skip'; reason: string }
  /** MLflow fails the whole listing (HTTP 500 in the UI). */
  | { kind: 'fatal'; reason: string };

/** A store file MLflow cannot read: `CORRUPT_STORE`, naming the file. */
export function corruptStore(file: string, reason: string): MlflowError {
  return new MlflowError({
    code: 'CORRUPT_STORE',
    message: `${file}: ${reason} (MLflow cannot read this store until it is fixed or removed)`,
    endpoint: file,
  });
}

/** Throws `CORRUPT_STORE` for a fatal verdict, returns the value or `undefined` (skip). */
export function unwrap<T>(verdict: MetaVerdict<T>, file: string): T | undefined {
  if (verdict.kind === 'fatal') throw corruptStore(file, verdict.reason);
  return verdict.kind === 'ok' ? verdict.value : undefined;
}

/** A `meta.yaml`'s mapping, or why it is not one (`missing`, `empty`, …). */
export function parseMapping(text: string | undefined): Record<string, unknown> | string {
  if (text === undefined) return 'missing';
  const flat = parseFlatMapping(text);
  if (flat) return flat;
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    return `not valid YAML (${(error as Error).message.split('\n')[0]})`;
  }
  if (value === null || value === undefined) return 'empty';
  if (typeof value !== 'object' || Array.isArray(value)) return 'not a YAML mapping';
  return value as Record<string, unknown>;
}
