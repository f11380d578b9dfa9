import type { Registry } from 'prom-client';
import type { Route } from '../router.js';

/**
 * `GET /metrics`: the registry in Prometheus' text format.
 *
 * @example
 * const route = metricsRoute(metrics.registry);
 */
export function metricsRoute(registry: Registry): Route {
  return {
    methods: {
      GET: async (context) => {
        context.contentType = registry.contentType;
        return registry.metrics();
      },
    },
  };
}
