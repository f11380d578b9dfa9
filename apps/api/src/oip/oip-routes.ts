import { ApiError } from '../errors.js';
import { parseJsonBody } from '../http/parse-json.js';
import type { ModelBundle } from '../model-bundle.js';
import { type ModelHolder, requireModel } from '../model-holder.js';
import { JSON_BYTES, type Resolved, type Route } from '../router.js';
import type { PredictRouteOptions } from '../routes/predict-route.js';
import { type Scores, scorePatients, scoreRows } from '../score-patient.js';
import { readCommonInferRequest } from './common-infer.js';
import { type InferRequest, inferRequest, OUTPUTS } from './infer-request.js';

/** What the OIP routes need besides the prediction routes' options. */
export interface OipOptions extends PredictRouteOptions {
  /** The name the model is served under when it did not come from the registry. */
  modelName: string;
  /** The server's version (`GET /v2`). */
  version: string;
}

const MODEL_PATH = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(?:\/(ready|infer))?$/;

/** A path segment, %-decoded; a malformed escape is a 404, not a crash. */
function decodePart(segment: string): string {
  // The common case, no escape: nothing to decode (decodeURIComponent costs ~0.15 µs a request).
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiError({
      code: 'NOT_FOUND',
      message: 'the model path is not valid (a malformed %-escape)',
    });
  }
}

/** The name the served model answers to: its registered name, else the configured one. */
const servedName = (holder: ModelHolder, fallback: string) =>
  holder.bundle?.registeredModel?.name ?? fallback;

/** The versions a client may ask for: the registered version and the alias it came through. */
function versionsOf(bundle: ModelBundle | undefined): string[] | undefined {
  const registered = bundle?.registeredModel;
  if (!registered) return undefined;
  return registered.alias ? [registered.version, registered.alias] : [registered.version];
}

/** The bundle the path names, or a 404 (`{"error": …}`) naming what is served. */
function modelFor(options: OipOptions, name: string, version: string | undefined): ModelBundle {
  const served = servedName(options.holder, options.modelName);
  if (name !== served) {
    throw new ApiError({
      code: 'NOT_FOUND',
      message: `model ${JSON.stringify(name.slice(0, 64))} is not served here; this server serves ${JSON.stringify(served)}`,
    });
  }
  const bundle = requireModel(options.holder);
  if (version === undefined) return bundle;
  const versions = versionsOf(bundle);
  if (!versions?.includes(version)) {
    throw new ApiError({
      code: 'NOT_FOUND',
      message: versions
        ? `model ${served} has no version ${JSON.stringify(version.slice(0, 64))} being served; served: ${versions.join(', ')}`
        : `model ${served} is not versioned here (not served from the registry); leave the version out`,
    });
  }
  return bundle;
}

/** The model's inputs as OIP tensors: one `[-1]` per column (FP32 for a `float` column), or its one `[-1, k]` tensor. */
function inputsOf(bundle: ModelBundle): Record<string, unknown>[] {
  const signature =
    bundle.runtime === 'onnx' && !bundle.pipeline ? bundle.onnx.signature : undefined;
  if (signature?.kind === 'tensor') {
    const datatype = signature.dtype === 'float32' ? 'FP32' : 'FP64';
    return [{ name: signature.name, datatype, shape: [-1, signature.width] }];
  }
  const float = new Set(
    signature?.kind === 'columns'
      ? signature.columns.filter((column) => column.type === 'float').map((column) => column.name)
      : [],
  );
  return bundle.validators.names.map((name) => ({
    name,
    datatype: float.has(name) ? 'FP32' : 'FP64',
    shape: [-1],
  }));
}

function metadata(options: OipOptions, bundle: ModelBundle): Record<string, unknown> {
  const versions = versionsOf(bundle);
  return {
    name: servedName(options.holder, options.modelName),
    ...(versions ? { versions } : {}),
    platform: bundle.runtime === 'onnx' ? 'onnxruntime_onnx' : `heart-pipeline/${bundle.kind}`,
    inputs: inputsOf(bundle),
    outputs: [
      { name: 'label', datatype: 'INT64', shape: [-1] },
      { name: 'probabilities', datatype: 'FP64', shape: [-1, 2] },
    ],
  };
}

/** An ONNX graph's own `[N, 2]` probabilities, when that is where P(positive) came from (else `[1 − p, p]` is built). */
function graphPairs(bundle: ModelBundle, scores: Scores): number[] | undefined {
  if (bundle.runtime !== 'onnx' || bundle.onnx.output.probability.column === undefined) return;
  const { name } = bundle.onnx.output.probability;
  return scores.outputs?.find((output) => output.name === name)?.values;
}

function infer(
  options: OipOptions,
  target: () => ModelBundle,
  bytes: Buffer,
  requestId: string,
): string | Promise<string> {
  const validators = options.validators();
  // The common requests read straight from their bytes (JSON.parse of 13 one-value inputs cost
  // more than the rest of the request); anything else parsed, then decoded and checked. Errors
  // come in the order they always did: the body's JSON, then the model path, then the values.
  const common = readCommonInferRequest(bytes, validators);
  const body = common ? undefined : parseJsonBody(bytes, { bom: true });
  const bundle = target();
  let request: Pick<InferRequest, 'id' | 'outputs'>;
  let scores: Scores | Promise<Scores>;
  if (common) {
    request = { id: common.id, outputs: OUTPUTS };
    scores = scoreRows(bundle, common.rows, validators, options.scoring);
  } else {
    const decoded = inferRequest(body, validators);
    request = decoded;
    scores = scorePatients(bundle, decoded.patients, options.scoring);
  }
  return scores instanceof Promise
    ? scores.then((later) => inferAnswer(options, bundle, request, later, requestId))
    : inferAnswer(options, bundle, request, scores, requestId);
}

function inferAnswer(
  options: OipOptions,
  bundle: ModelBundle,
  { id, outputs }: Pick<InferRequest, 'id' | 'outputs'>,
  scores: Scores,
  requestId: string,
): string {
  const { predictions, probabilities } = scores;
  const count = predictions.length;
  let tensors = '';
  for (const name of outputs) {
    if (tensors !== '') tensors += ',';
    if (name === 'label') {
      const labels = count === 1 ? `${predictions[0]}` : predictions.join(',');
      tensors += `{"name":"label","shape":[${count}],"datatype":"INT64","data":[${labels}]}`;
      continue;
    }
    const pairs = graphPairs(bundle, scores);
    let data = '';
    if (pairs) data = pairs.join(',');
    else
      for (let i = 0; i < count; i++)
        data += `${i === 0 ? '' : ','}${1 - probabilities[i]!},${probabilities[i]}`;
    tensors += `{"name":"probabilities","shape":[${count},2],"datatype":"FP64","data":[${data}]}`;
  }
  return `${answerHead(servedName(options.holder, options.modelName), bundle)},"id":${JSON.stringify(id ?? requestId)},"outputs":[${tensors}]}`;
}

const heads = new WeakMap<ModelBundle, { name: string; head: string }>();

/** `{"model_name":…[,"model_version":…]`, written once per served model and name. */
function answerHead(name: string, bundle: ModelBundle): string {
  const known = heads.get(bundle);
  if (known?.name === name) return known.head;
  const version = bundle.registeredModel?.version;
  const head = `{"model_name":${JSON.stringify(name)}${version ? `,"model_version":${JSON.stringify(version)}` : ''}`;
  heads.set(bundle, { name, head });
  return head;
}

/**
 * The Open Inference Protocol v2 REST routes: `GET /v2`, `/v2/health/live`, `/v2/health/ready`
 * (fixed paths), and the model paths `/v2/models/{name}[/versions/{v}][/ready|/infer]` (resolved),
 * every error as `{"error": …}`.
 *
 * @example
 * const oip = oipRoutes({ holder, scoring, validators, modelName: 'heart-disease', version: '1.0.0' });
 * createRouter({ routes: { ...oip.routes }, resolve: oip.resolve, responder, bodyLimit });
 */
export function oipRoutes(options: OipOptions): {
  routes: Record<string, Route>;
  resolve: (path: string) => Resolved | undefined;
} {
  const get = (answer: () => Record<string, unknown>): Route => ({
    protocol: 'oip',
    methods: { GET: answer },
  });
  const routes = {
    '/v2': get(() => ({ name: 'heart', version: options.version, extensions: [] })),
    '/v2/health/live': get(() => ({ live: true })),
    '/v2/health/ready': get(() => {
      requireModel(options.holder);
      return { ready: true };
    }),
  };
  const target = (context: { params: Record<string, string> | undefined }) => {
    const { name = '', version } = context.params ?? {};
    return modelFor(
      options,
      decodePart(name),
      version === undefined ? undefined : decodePart(version),
    );
  };
  const model: Record<string, Route> = {
    metadata: {
      protocol: 'oip',
      methods: { GET: (context) => metadata(options, target(context)) },
    },
    ready: {
      protocol: 'oip',
      methods: {
        GET: (context) => {
          target(context);
          return { name: servedName(options.holder, options.modelName), ready: true };
        },
      },
    },
    infer: {
      protocol: 'oip',
      body: JSON_BYTES,
      methods: {
        POST: (context) =>
          infer(options, () => target(context), context.body as Buffer, context.id),
      },
    },
  };
  // Clients send the same few paths again and again: up to 64 resolved paths are kept (all
  // dropped when full), each answer frozen, as every request on that path shares it.
  const resolved = new Map<string, Resolved>();
  return {
    routes,
    resolve(path) {
      const known = resolved.get(path);
      if (known) return known;
      const match = MODEL_PATH.exec(path);
      if (!match) return undefined;
      const [, name, version, action = 'metadata'] = match;
      const label = `/v2/models/{name}${version === undefined ? '' : '/versions/{version}'}${action === 'metadata' ? '' : `/${action}`}`;
      const params: Record<string, string> = { name: name! };
      if (version !== undefined) params.version = version;
      const found = Object.freeze({ route: model[action]!, label, params: Object.freeze(params) });
      if (resolved.size >= 64) resolved.clear();
      if (path.length <= 256) resolved.set(path, found);
      return found;
    },
  };
}
