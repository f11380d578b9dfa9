import type { ApiMetrics } from '../metrics.js';
import type { Route } from '../router.js';

/**
 * `GET /metrics`: the instruments in Prometheus' text format (every worker's, summed, with
 * `WORKERS` > 1).
 *
 * @example
 * const route = metricsRoute(metrics);
 */
export function metricsRoute(metrics: ApiMetrics): Route {
  return {
    methods: {
      GET: async (context) => {
        context.contentType = metrics.registry.contentType;
        return metrics.text();
      },
    },
  };
}
