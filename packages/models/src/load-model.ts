import type { Classifier } from './classifier.js';
import { ModelError } from './errors.js';
import { parseJsonInput } from './internal/json.js';
import { LogisticRegression } from './logistic-regression.js';
import { RandomForest } from './random-forest.js';

/** A fitted model of either kind. */
export type Model = LogisticRegression | RandomForest;

const LOADERS: Readonly<Record<string, (json: unknown) => Model>> = {
  'logistic-regression': LogisticRegression.load,
  'random-forest': RandomForest.load,
};

/**
 * Rebuilds a saved model of any kind, dispatching on `kind`; an unknown kind or format version is
 * refused with `INVALID_JSON`. Accepts the parsed object or the JSON text.
 *
 * @example
 * ```ts
 * const model = loadModel(await readFile('models/best_model.json', 'utf8'));
 * model.predictProbaRow(features);
 * ```
 */
export function loadModel(json: unknown): Model & Classifier {
  const value = parseJsonInput(json, 'model');
  const kind = (value as { kind?: unknown } | null)?.kind;
  const load = typeof kind === 'string' && Object.hasOwn(LOADERS, kind) ? LOADERS[kind] : undefined;
  if (!load) {
    throw new ModelError({
      code: 'INVALID_JSON',
      message: `unknown model kind ${JSON.stringify(kind)}; expected one of ${Object.keys(LOADERS).join(', ')}`,
    });
  }
  return load(value);
}
