import type { Columns } from '../columns.js';
import { requireModel } from '../model-holder.js';
import type { Route } from '../router.js';
import type { PredictRouteOptions } from '../routes/predict-route.js';
import { type Patient, scorePatients, scoreRows } from '../score-patient.js';
import type { Validators } from '../validators.js';
import { readCommonSplit } from './common-split.js';
import { framePatients } from './frame-patients.js';
import { csvFrame } from './read-csv.js';
import { predictionsJson } from './scoring-answer.js';
import { parsedBody, SCORING_BODY, type ScoringBytes } from './scoring-body.js';
import { jsonFrame, pythonType, scoringError } from './scoring-frame.js';
import { tensorPatients } from './tensor-rows.js';

/**
 * The threshold `params` asks for (heart's params schema: `threshold`, a double from 0 to 1), or
 * undefined. As MLflow does with a params schema: `params` absent or null is no params, a
 * non-dictionary is refused, an unknown parameter is ignored, an integer passes for a double.
 */
function thresholdParam(body: unknown): number | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const params = (body as { params?: unknown }).params;
  if (params === undefined || params === null) return undefined;
  if (typeof params !== 'object' || Array.isArray(params)) {
    throw scoringError(
      `Invalid input. Parameters must be a dictionary. Got type '${pythonType(params)}'.`,
      'INVALID_PARAMETER_VALUE',
    );
  }
  const threshold = (params as { threshold?: unknown }).threshold;
  if (threshold === undefined || threshold === null) return undefined;
  if (typeof threshold !== 'number' || threshold < 0 || threshold > 1) {
    throw scoringError(
      `Invalid parameters found: threshold must be a double from 0 to 1 (default: the model's), got ${pythonType(threshold)} ${JSON.stringify(threshold).slice(0, 40)}.`,
      'INVALID_PARAMETER_VALUE',
    );
  }
  return threshold;
}

/**
 * The patients and the threshold of a body: the common `dataframe_split` read straight from its
 * bytes (no params: the model's threshold); anything else parsed, framed and checked. The errors
 * come in the order they always did: the JSON, then the frame, then the params.
 */
function scoringRequest(
  received: ScoringBytes,
  checks: Validators,
):
  | { rows: Columns; threshold?: undefined }
  | { patients: Patient[]; threshold: number | undefined } {
  const rows = received.kind === 'json' ? readCommonSplit(received.bytes, checks) : undefined;
  if (rows) return { rows };
  const body = parsedBody(received);
  const patients =
    checks.tensor !== undefined
      ? tensorPatients(body, checks)
      : framePatients(body.kind === 'csv' ? csvFrame(body.text) : jsonFrame(body.value), checks);
  return { patients, threshold: body.kind === 'json' ? thresholdParam(body.value) : undefined };
}

/**
 * `POST /invocations`, MLflow's pyfunc scoring protocol: JSON (`dataframe_split`,
 * `dataframe_records`, `instances`, `inputs`, with optional `params.threshold`) or CSV, checked
 * against the served model's input schema → `{"predictions": [{"prediction", "probability"}, …]}`
 * (an ONNX graph: its outputs, see {@link predictionsJson}); errors are MLflow's
 * `{"error_code", "message"}` (415 as plain text), without stack traces.
 *
 * @example
 * const route = invocationsRoute({ holder, scoring, validators });
 */
export function invocationsRoute({ holder, scoring, validators }: PredictRouteOptions): Route {
  return {
    protocol: 'mlflow',
    body: SCORING_BODY,
    methods: {
      POST: (context) => {
        const checks = validators();
        const request = scoringRequest(context.body as ScoringBytes, checks);
        const bundle = requireModel(holder);
        const tensor = checks.tensor !== undefined;
        const scores =
          'rows' in request
            ? scoreRows(bundle, request.rows, checks, scoring)
            : scorePatients(bundle, request.patients, scoring, request.threshold);
        context.contentType = 'application/json';
        return scores instanceof Promise
          ? scores.then((later) => predictionsJson(later, tensor))
          : predictionsJson(scores, tensor);
      },
    },
  };
}

/**
 * `GET /ping` (MLflow's health check: 200 with a newline, as `mlflow models serve` answers) and
 * `GET /version` (heart's version as MLflow answers its own: the bare string).
 *
 * @example
 * const routes = { '/ping': mlflowRoutes('1.2.0').ping, '/version': mlflowRoutes('1.2.0').version };
 */
export function mlflowRoutes(version: string): { ping: Route; version: Route } {
  const text = (body: string): Route => ({
    protocol: 'mlflow',
    methods: {
      GET: (context) => {
        context.contentType = 'application/json';
        return body;
      },
    },
  });
  return { ping: text('\n'), version: text(version) };
}
