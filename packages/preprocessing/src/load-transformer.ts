import { PreprocessingError } from './errors.js';
import { OneHotEncoder } from './one-hot-encoder.js';
import { SimpleImputer } from './simple-imputer.js';
import { StandardScaler } from './standard-scaler.js';
import type { Transformer } from './transformer.js';

const LOADERS: Readonly<Record<string, (json: unknown) => Transformer>> = {
  'simple-imputer': SimpleImputer.load,
  'standard-scaler': StandardScaler.load,
  'one-hot-encoder': OneHotEncoder.load,
};

/**
 * Rebuilds any single transformer from its JSON, dispatching on `kind`; an unknown kind is refused
 * with `INVALID_JSON`. (A whole {@link ColumnPipeline} loads with `ColumnPipeline.load`.)
 *
 * @example
 * ```ts
 * const scaler = loadTransformer(JSON.parse(text));
 * ```
 */
export function loadTransformer(json: unknown): Transformer {
  const kind = (json as { kind?: unknown } | null)?.kind;
  const load = typeof kind === 'string' && Object.hasOwn(LOADERS, kind) ? LOADERS[kind] : undefined;
  if (!load) {
    throw new PreprocessingError({
      code: 'INVALID_JSON',
      message: `unknown transformer kind ${JSON.stringify(kind)}; expected one of ${Object.keys(LOADERS).join(', ')}`,
    });
  }
  return load(json);
}
