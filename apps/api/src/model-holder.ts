import { ApiError } from './errors.js';
import type { ModelBundle } from './model-bundle.js';

/** Holds the model being served; a reload swaps it in one assignment, so no request sees half. */
export interface ModelHolder {
  bundle: ModelBundle | undefined;
}

/**
 * The model being served, or a `MODEL_NOT_READY` error (503) while none is loaded.
 *
 * @example
 * const bundle = requireModel(holder); // throws ApiError MODEL_NOT_READY before the first load
 */
export function requireModel(holder: ModelHolder): ModelBundle {
  const bundle = holder.bundle;
  if (!bundle) throw new ApiError({ code: 'MODEL_NOT_READY', message: 'no model is loaded yet' });
  return bundle;
}
