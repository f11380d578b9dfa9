import { modelThreshold } from '../model-bundle.js';
import { modelCard } from '../model-card.js';
import { type ModelHolder, requireModel } from '../model-holder.js';
import type { Route } from '../router.js';

/**
 * `GET /model`: the model card of the model being served, with the `name` it is served under
 * (the OIP paths' name), 503 while none is loaded.
 *
 * @example
 * const route = modelRoute(holder, config.threshold, 'heart-disease');
 */
export function modelRoute(
  holder: ModelHolder,
  threshold: number | undefined,
  modelName: string,
): Route {
  return {
    methods: {
      GET: () => {
        const bundle = requireModel(holder);
        return {
          name: bundle.registeredModel?.name ?? modelName,
          ...modelCard(bundle, threshold ?? modelThreshold(bundle)),
        };
      },
    },
  };
}
