import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { COLUMN_SPECS, FEATURE_COLUMNS } from '@heart/data';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Logger } from 'pino';
import type { ApiConfig } from './config.js';
import { docsPage, openApiDocument } from './docs.js';
import { ApiError, type ApiErrorCode, ERROR_STATUS, type FieldProblem } from './errors.js';
import type { ApiMetrics } from './metrics.js';
import type { ModelBundle } from './model-store.js';
import { batchSchema, OPTIONAL_FIELDS, PATIENT_SCHEMA } from './schemas.js';
import { describeValidationErrors } from './validation-errors.js';

/** Holds the model being served; a reload swaps it in one assignment, so no request sees half. */
export interface ModelHolder {
  bundle: ModelBundle | undefined;
}

export interface AppOptions {
  config: Pick<ApiConfig, 'bodyLimit' | 'batchLimit' | 'threshold'>;
  holder: ModelHolder;
  metrics: ApiMetrics;
  /** Where the service logs (JSON lines). */
  logger: Logger;
  /** Version of the service, for the docs. */
  version?: string;
}

/** The service as a `node:http` request listener, plus the switch graceful shutdown flips. */
export interface App {
  handle: (request: IncomingMessage, response: ServerResponse) => void;
  /** From now on every answer carries `connection: close`, so keep-alive sockets end. */
  startClosing(): void;
}

type Patient = Record<string, number | null>;
type Json = Record<string, unknown> | unknown[];

interface Route {
  methods: Record<string, (context: Context) => Json | string | Promise<Json | string>>;
  /** The request body's validator, for POST routes. */
  validate?: ValidateFunction;
  /** Names allowed at the top of the body, for messages. */
  rootFields?: readonly string[];
}

interface Context {
  id: string;
  body: unknown;
  response: ServerResponse;
  /** Content type of the answer (JSON unless a handler says otherwise). */
  contentType: string;
  /** Extra answer headers, flat `[name, value, …]`. */
  headers: string[];
  /** performance.now() when the request arrived. */
  started: number;
  /** The route label for metrics (`unmatched` for unknown paths). */
  route: string;
}

const REQUEST_ID = /^[\w.:-]{1,64}$/;
const JSON_TYPE = /^application\/json\s*(?:;|$)/i;

/**
 * The inference service on plain `node:http`: routes in a table, bodies read with a size limit,
 * JSON only, validated by ajv against the schemas built from the UCI domains (the same schemas
 * the OpenAPI document shows), one error mapping, Prometheus metrics. Fastify was measured first
 * and left (see the README): its request pipeline alone cost more than half of this budget.
 */
export function createApp(options: AppOptions): App {
  const { config, holder, metrics, logger } = options;
  const ajv = new Ajv({
    allErrors: true,
    removeAdditional: false,
    coerceTypes: false,
    useDefaults: false,
    strict: true,
  });
  ajv.addSchema(PATIENT_SCHEMA);
  const validatePatient = ajv.getSchema('Patient')!;
  const validateBatch = ajv.compile(batchSchema(config.batchLimit));
  let closing = false;
  let nextId = 0;
  const debug = logger.isLevelEnabled('debug');

  const requireModel = (): ModelBundle => {
    const bundle = holder.bundle;
    if (!bundle) throw new ApiError({ code: 'MODEL_NOT_READY', message: 'no model is loaded yet' });
    return bundle;
  };
  const modelJsonCache = new WeakMap<ModelBundle, string>();
  const modelJson = (bundle: ModelBundle) => {
    let json = modelJsonCache.get(bundle);
    if (json === undefined) {
      json = JSON.stringify(modelRef(bundle));
      modelJsonCache.set(bundle, json);
    }
    return json;
  };
  const modelRef = (bundle: ModelBundle) => ({
    kind: bundle.kind,
    runId: bundle.runId,
    version: bundle.version,
  });
  const score = (bundle: ModelBundle, patient: Patient) => {
    for (const field of OPTIONAL_FIELDS) if (patient[field] === undefined) patient[field] = null;
    const probability = bundle.model.predictProbaRow(bundle.preprocessor.transformRow(patient));
    const prediction = probability >= config.threshold ? 1 : 0;
    metrics.predicted[prediction].inc();
    return { prediction, probability };
  };
  let document: Record<string, unknown> | undefined;
  const docs = () =>
    (document ??= openApiDocument({
      batchLimit: config.batchLimit,
      version: options.version ?? '0.0.0',
    }));

  const routes: Record<string, Route> = {
    '/predict': {
      validate: validatePatient,
      methods: {
        POST: ({ body }) => {
          const bundle = requireModel();
          const { prediction, probability } = score(bundle, body as Patient);
          // The hot path writes its JSON directly; the model part is serialised once per model.
          return `{"prediction":${prediction},"probability":${JSON.stringify(probability)},"model":${modelJson(bundle)}}`;
        },
      },
    },
    '/predict/batch': {
      validate: validateBatch,
      rootFields: ['rows'],
      methods: {
        POST: ({ body }) => {
          const bundle = requireModel();
          return {
            results: (body as { rows: Patient[] }).rows.map((patient) => score(bundle, patient)),
            model: modelRef(bundle),
          };
        },
      },
    },
    '/health': { methods: { GET: () => ({ status: 'ok' }) } },
    '/ready': { methods: { GET: () => ({ ready: true, model: modelRef(requireModel()) }) } },
    '/model': { methods: { GET: () => modelCard(requireModel(), config.threshold) } },
    '/metrics': {
      methods: {
        GET: async (context) => {
          context.contentType = metrics.registry.contentType;
          return metrics.registry.metrics();
        },
      },
    },
    '/docs': {
      methods: {
        GET: (context) => {
          context.contentType = 'text/html; charset=utf-8';
          return docsPage(docs());
        },
      },
    },
    '/docs/openapi.json': { methods: { GET: () => docs() } },
  };

  const send = (context: Context, status: number, payload: string) => {
    const { response } = context;
    // One writeHead with every header: cheaper than a setHeader per header.
    const headers = [
      'content-type',
      context.contentType,
      'content-length',
      String(Buffer.byteLength(payload)),
      'x-request-id',
      context.id,
      ...context.headers,
    ];
    if (closing) headers.push('connection', 'close');
    response.writeHead(status, headers);
    response.end(response.req.method === 'HEAD' ? undefined : payload);
    // Latency: until the answer is handed to the socket.
    const seconds = (performance.now() - context.started) / 1000;
    metrics.observe(context.route, response.req.method ?? '', status, seconds);
    if (debug) {
      logger.debug(
        {
          reqId: context.id,
          method: response.req.method,
          url: response.req.url,
          statusCode: status,
          ms: seconds * 1000,
        },
        'request',
      );
    }
  };
  const fail = (
    context: Context,
    code: ApiErrorCode,
    message: string,
    details?: FieldProblem[],
  ) => {
    const status = ERROR_STATUS[code];
    if (status < 500) logger.info({ reqId: context.id, code, status }, message);
    send(
      context,
      status,
      JSON.stringify({
        error: code,
        message,
        requestId: context.id,
        ...(details ? { details } : {}),
      }),
    );
  };
  const failWith = (context: Context, error: unknown) => {
    if (error instanceof ApiError) return fail(context, error.code, error.message, error.details);
    logger.error({ reqId: context.id, err: error }, 'unhandled error');
    fail(context, 'INTERNAL', 'internal error; the request id is in the logs');
  };
  const reply = (context: Context, result: Json | string) =>
    send(context, 200, typeof result === 'string' ? result : JSON.stringify(result));
  /** Runs a handler; a synchronous result is answered at once (no promise on the hot path). */
  const run = (handler: Route['methods'][string], context: Context) => {
    try {
      const result = handler(context);
      if (result instanceof Promise) {
        result.then(
          (value) => reply(context, value),
          (error: unknown) => failWith(context, error),
        );
      } else {
        reply(context, result);
      }
    } catch (error) {
      failWith(context, error);
    }
  };

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const started = performance.now();
    const given = request.headers['x-request-id'];
    const id =
      typeof given === 'string' && REQUEST_ID.test(given)
        ? given
        : `req-${(++nextId).toString(36)}`;
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const path = (query < 0 ? url : url.slice(0, query)).replace(/(.)\/+$/, '$1');
    const route = routes[path];
    const method = request.method === 'HEAD' ? 'GET' : (request.method ?? 'GET');
    const context: Context = {
      id,
      body: undefined,
      response,
      contentType: 'application/json; charset=utf-8',
      headers: [],
      started,
      route: route ? path : 'unmatched',
    };
    if (!route) {
      request.resume();
      fail(context, 'NOT_FOUND', `no route ${request.method} ${path}; see /docs`);
      return;
    }
    const handler = route.methods[method];
    if (!handler) {
      request.resume();
      const allowed = Object.keys(route.methods).flatMap((name) =>
        name === 'GET' ? ['GET', 'HEAD'] : [name],
      );
      context.headers.push('allow', allowed.join(', '));
      fail(
        context,
        'METHOD_NOT_ALLOWED',
        `${request.method} is not allowed on ${path}; use ${allowed.join(' or ')}`,
      );
      return;
    }
    if (!route.validate) {
      request.resume();
      run(handler, context);
      return;
    }
    readJsonBody(request, config.bodyLimit, (problem, body) => {
      if (problem) {
        // A body we stopped reading leaves the connection in an unknown state: close it.
        if (problem.code === 'PAYLOAD_TOO_LARGE') context.headers.push('connection', 'close');
        return fail(context, problem.code, problem.message);
      }
      if (!route.validate!(body)) {
        const details = describeValidationErrors(route.validate!.errors ?? [], route.rootFields);
        if (
          details.some(
            (item) => item.field === 'rows' && item.message.startsWith('may hold at most'),
          )
        ) {
          return fail(
            context,
            'BATCH_TOO_LARGE',
            `a batch may hold at most ${config.batchLimit} rows`,
            details,
          );
        }
        return fail(
          context,
          'VALIDATION_FAILED',
          `${details.length} invalid field${details.length === 1 ? '' : 's'}: ${details.map((item) => item.field).join(', ')}`,
          details,
        );
      }
      context.body = body;
      run(handler, context);
    });
  };

  return {
    handle,
    startClosing() {
      closing = true;
    },
  };
}

/**
 * Reads a JSON body: refuses a non-JSON content type (415), more than `limit` bytes (413, as
 * soon as the limit is passed), bytes that are not UTF-8, an empty body and malformed JSON (400).
 */
function readJsonBody(
  request: IncomingMessage,
  limit: number,
  done: (problem: { code: ApiErrorCode; message: string } | undefined, body?: unknown) => void,
): void {
  const type = request.headers['content-type'] ?? '';
  if (!JSON_TYPE.test(type)) {
    request.resume();
    done({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: `Content-Type ${JSON.stringify(type)} is not supported; send application/json`,
    });
    return;
  }
  const declared = Number(request.headers['content-length']);
  if (declared > limit) {
    request.resume();
    done({ code: 'PAYLOAD_TOO_LARGE', message: `body larger than ${limit} bytes` });
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  request.on('data', (chunk: Buffer) => {
    if (finished) return;
    size += chunk.length;
    if (size > limit) {
      finished = true;
      request.resume();
      done({ code: 'PAYLOAD_TOO_LARGE', message: `body larger than ${limit} bytes` });
      return;
    }
    chunks.push(chunk);
  });
  request.on('error', () => {
    finished = true;
  });
  request.on('end', () => {
    if (finished) return;
    finished = true;
    const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    if (!isUtf8(bytes))
      return done({ code: 'MALFORMED_JSON', message: 'the body is not valid UTF-8' });
    const text = bytes.toString('utf8');
    if (text.trim() === '')
      return done({ code: 'MALFORMED_JSON', message: 'the body is empty; send a JSON object' });
    try {
      done(undefined, JSON.parse(text));
    } catch (error) {
      done({
        code: 'MALFORMED_JSON',
        message: `the body is not valid JSON (${(error as Error).message})`,
      });
    }
  });
}

function modelCard(bundle: ModelBundle, threshold: number): Json {
  const metadata = bundle.metadata as {
    metrics?: unknown;
    cv?: unknown;
    params?: unknown;
    trainingSeconds?: unknown;
    createdAt?: unknown;
    mlflow?: unknown;
    data?: unknown;
  };
  return {
    kind: bundle.kind,
    runId: bundle.runId,
    version: bundle.version,
    source: bundle.source,
    loadedAt: bundle.loadedAt,
    loadSeconds: bundle.loadSeconds,
    threshold,
    metrics: metadata.metrics ?? null,
    cv: metadata.cv ?? null,
    params: metadata.params ?? bundle.model.params,
    trainingSeconds: metadata.trainingSeconds ?? null,
    trainedAt: metadata.createdAt ?? null,
    mlflow: metadata.mlflow ?? null,
    data: metadata.data ?? null,
    featureNames: bundle.model.featureNames,
    input: FEATURE_COLUMNS.map((column) => {
      const spec = COLUMN_SPECS[column];
      return {
        name: column,
        description: spec.description,
        required: !OPTIONAL_FIELDS.includes(column),
        ...(spec.kind === 'categorical'
          ? { allowed: spec.values }
          : { minimum: spec.min, maximum: spec.max }),
      };
    }),
  };
}
