import { modelRef } from '../model-card.js';
import { type ModelHolder, requireModel } from '../model-holder.js';
import type { Route } from '../router.js';

/**
 * `GET /health`: the process is alive (`{ status: 'ok' }`), model or not.
 *
 * @example
 * const routes = { '/health': healthRoute(), '/ready': readyRoute(holder) };
 */
export function healthRoute(): Route {
  return { methods: { GET: () => ({ status: 'ok' }) } };
}

/**
 * `GET /ready`: a model is loaded (`{ ready: true, model }`), else 503 `MODEL_NOT_READY`.
 *
 * @example
 * readyRoute({ bundle: undefined }); // answers 503 until main.ts installs the first model
 */
export function readyRoute(holder: ModelHolder): Route {
  return { methods: { GET: () => ({ ready: true, model: modelRef(requireModel(holder)) }) } };
}
