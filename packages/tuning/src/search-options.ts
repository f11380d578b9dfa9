import { TuningError } from './errors.js';

const kind = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
const shown = (value: unknown) =>
  typeof value === 'string' ? JSON.stringify(value) : String(value);
const bad = (what: string, message: string) =>
  new TuningError({ code: 'INVALID_OPTION', message: `${what}: ${message}` });

/**
 * What every search takes, checked before anything runs (`INVALID_OPTION` naming the option): an
 * options object, an estimator (a heart classifier or pipeline), its `grid` or `distributions`
 * an object, `refit` a boolean, `errorScore` `'raise'` or a number, `onCandidate` and
 * `onProgress` functions. (The data, `cv`, `scoring`, `nJobs` and the candidates are checked
 * where they are read.)
 */
export function assertSearchOptions(
  options: unknown,
  what: 'gridSearch' | 'randomSearch',
  space: 'grid' | 'distributions',
): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw bad(
      what,
      `options must be an object ({ estimator, ${space}, features or records, labels }), got ${kind(options)}`,
    );
  }
  const given = options as Record<string, unknown>;
  const estimator = given.estimator as { fit?: unknown } | null | undefined;
  if (estimator === null || typeof estimator !== 'object' || typeof estimator.fit !== 'function') {
    throw bad(
      what,
      `estimator must be a heart classifier or pipeline (new RandomForest(), …), got ${kind(estimator)}`,
    );
  }
  const section = given[space];
  if (section === null || typeof section !== 'object' || Array.isArray(section)) {
    const of = space === 'grid' ? 'a list of values' : 'a distribution';
    throw bad(what, `${space} must be an object of option → ${of}, got ${kind(section)}`);
  }
  if (given.refit !== undefined && typeof given.refit !== 'boolean')
    throw bad(what, `refit must be true or false, got ${shown(given.refit)}`);
  if (
    given.errorScore !== undefined &&
    given.errorScore !== 'raise' &&
    typeof given.errorScore !== 'number'
  ) {
    throw bad(
      what,
      `errorScore must be 'raise' or a number (NaN too), got ${shown(given.errorScore)}`,
    );
  }
  for (const name of ['onCandidate', 'onProgress']) {
    if (given[name] !== undefined && typeof given[name] !== 'function')
      throw bad(what, `${name} must be a function, got ${kind(given[name])}`);
  }
}
