import { PipelineError } from './errors.js';

const kind = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;

/** `INVALID_OPTION` `${what}: ${message}`. */
const invalid = (what: string, message: string) =>
  new PipelineError({ code: 'INVALID_OPTION', message: `${what}: ${message}` });

/** Whether `value` is an object with a method of each name. */
const hasMethods = (value: unknown, names: readonly string[]) =>
  value !== null &&
  typeof value === 'object' &&
  names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');

/**
 * A plain-JavaScript caller's options, checked before they are read: an object, and the named
 * parts present — a preprocessor (`fitTransform`, `transform` and its `inputColumns`), a
 * classifier (`fit`, `predictProba`), functions where functions go. `INVALID_OPTION` naming the
 * option, never a `TypeError` from deeper down.
 */
export function assertOptions(
  options: unknown,
  what: string,
  parts: {
    preprocessor?: boolean;
    classifier?: boolean;
    functions?: readonly string[];
    arrays?: readonly string[];
  },
): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw invalid(what, `options must be an object, got ${kind(options)}`);
  const given = options as Record<string, unknown>;
  const { preprocessor, classifier } = given;
  if (
    parts.preprocessor &&
    !(
      hasMethods(preprocessor, ['fitTransform', 'transform']) &&
      Array.isArray((preprocessor as { inputColumns?: unknown }).inputColumns)
    )
  ) {
    throw invalid(
      what,
      `preprocessor must be a @heart/preprocessing ColumnPipeline (createHeartPreprocessor()), got ${kind(preprocessor)}`,
    );
  }
  if (parts.classifier && !hasMethods(classifier, ['fit', 'predictProba'])) {
    throw invalid(
      what,
      `classifier must be a @heart/models classifier (new RandomForest(), …), got ${kind(classifier)}`,
    );
  }
  for (const name of parts.functions ?? []) {
    if (typeof given[name] !== 'function')
      throw invalid(what, `${name} must be a function, got ${kind(given[name])}`);
  }
  for (const name of parts.arrays ?? []) {
    if (!Array.isArray(given[name]) && !ArrayBuffer.isView(given[name]))
      throw invalid(what, `${name} must be an array, got ${kind(given[name])}`);
  }
}
