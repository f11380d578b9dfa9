import { modelCard } from '../model-card.js';
import { type ModelHolder, requireModel } from '../model-holder.js';
import type { Route } from '../router.js';

/**
 * `GET /model`: the model card of the model being served (503 while none is loaded).
 *
 * @example
 * const route = modelRoute(holder, config.threshold);
 */
export function modelRoute(holder: ModelHolder, threshold: number | undefined): Route {
  return {
    methods: {
      GET: () => {
        const bundle = requireModel(holder);
        return modelCard(bundle, threshold ?? bundle.pipeline.threshold);
      },
    },
  };
}
