import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { ApiConfig } from './config.js';
import { docsRoutes } from './docs/docs-routes.js';
import { createTurnSlicer } from './http/turn-slicer.js';
import type { ApiMetrics } from './metrics.js';
import { invocationsRoute, mlflowRoutes } from './mlflow/invocations-route.js';
import type { ModelHolder } from './model-holder.js';
import { oipRoutes } from './oip/oip-routes.js';
import { createResponder } from './responder.js';
import { createRouter } from './router.js';
import { batchRoute } from './routes/batch-route.js';
import { healthRoute, readyRoute } from './routes/health-routes.js';
import { metricsRoute } from './routes/metrics-route.js';
import { modelRoute } from './routes/model-route.js';
import { predictRoute } from './routes/predict-route.js';
import { LEGACY_INPUT_SCHEMA } from './schemas.js';
import { compileValidators } from './validators.js';

export type { ModelHolder } from './model-holder.js';

export interface AppOptions {
  config: Pick<ApiConfig, 'bodyLimit' | 'batchLimit' | 'threshold'>;
  holder: ModelHolder;
  metrics: ApiMetrics;
  /** Where the service logs (JSON lines). */
  logger: Logger;
  /** Version of the service, for the docs, `GET /version` and `GET /v2`. */
  version?: string;
  /** The name the model is served under (OIP paths, `GET /model`) unless the registry names it. Default `heart-disease`. */
  modelName?: string;
}

/** The service as a `node:http` request listener, plus the switch graceful shutdown flips. */
export interface App {
  handle: (request: IncomingMessage, response: ServerResponse) => void;
  /** For the server's `connection` event: a burst of new connections is accepted sooner. */
  connected: () => void;
  /** From now on every answer carries `connection: close`, so keep-alive sockets end. */
  startClosing(): void;
}

/**
 * The inference service on plain `node:http`: routes in a table — heart's own, MLflow's scoring
 * protocol, the Open Inference Protocol v2, the docs — bodies read with a size limit and checked
 * against the served pipeline's input schema (the same schema the OpenAPI document shows), one
 * error mapping, Prometheus metrics. Fastify was measured first and left (see the README).
 *
 * @example
 * const app = createApp({ config, holder: { bundle }, metrics: createMetrics(), logger: pino() });
 * createServer(app.handle).listen(8000);
 */
export function createApp(options: AppOptions): App {
  const { config, holder, metrics, logger } = options;
  const version = options.version ?? '0.0.0';
  const modelName = options.modelName ?? 'heart-disease';
  // Before the first model loads (and for its docs) bodies are checked against the seed's schema;
  // then against the served pipeline's own, swapped with it.
  const fallback = compileValidators(LEGACY_INPUT_SCHEMA, config.batchLimit);
  const validators = () => holder.bundle?.validators ?? fallback;
  const scoring = { threshold: config.threshold, predicted: metrics.predicted };
  const predicting = { holder, scoring, validators };
  const mlflow = mlflowRoutes(version);
  const oip = oipRoutes({ ...predicting, modelName, version });
  const docs = docsRoutes({ batchLimit: config.batchLimit, version, modelName, validators });
  const responder = createResponder({ metrics, logger });
  const slicer = createTurnSlicer();
  const handle = createRouter({
    routes: {
      '/predict': predictRoute(predicting),
      '/predict/batch': batchRoute(predicting),
      '/health': healthRoute(),
      '/ready': readyRoute(holder),
      '/model': modelRoute(holder, config.threshold, modelName),
      '/metrics': metricsRoute(metrics),
      '/invocations': invocationsRoute(predicting),
      '/ping': mlflow.ping,
      '/version': mlflow.version,
      ...oip.routes,
      ...docs.routes,
    },
    resolve: oip.resolve,
    responder,
    bodyLimit: config.bodyLimit,
    slicer,
  });
  return { handle, connected: slicer.hurry, startClosing: responder.startClosing };
}
