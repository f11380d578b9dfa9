import type { Protocol } from './context.js';
import { type ApiProblem, MLFLOW_ERROR_CODE } from './errors.js';
import { clip } from './http/content-type.js';

/** Largest error body, bytes: past it the details are dropped (they never need to be). */
const MAX_ERROR_BODY_BYTES = 16 * 1024;

/** heart's own content type; MLflow's scoring server answers `application/json` without charset. */
const HEART_JSON = 'application/json; charset=utf-8';

/**
 * A problem as the route's protocol writes errors, never with a stack:
 * - heart: `{ error, message, requestId, details?, omitted? }`;
 * - MLflow scoring (`/invocations`): `{ error_code, message }` as `application/json`, and a 415
 *   as plain text, as `mlflow models serve` answers;
 * - Open Inference Protocol: `{ error }`.
 * The message is clipped to 4 KiB and the body kept within {@link MAX_ERROR_BODY_BYTES}.
 *
 * @example
 * errorBody({ code: 'NOT_FOUND', message: 'no such route' }, 'req-1', 'oip'); // { body: '{"error":"no such route"}', … }
 */
export function errorBody(
  problem: ApiProblem,
  requestId: string,
  protocol: Protocol,
): { contentType: string; body: string } {
  const message = clip(problem.message, 4096);
  if (protocol === 'oip') {
    return { contentType: HEART_JSON, body: JSON.stringify({ error: message }) };
  }
  if (protocol === 'mlflow') {
    if (problem.code === 'UNSUPPORTED_MEDIA_TYPE') {
      return { contentType: 'text/plain; charset=utf-8', body: message };
    }
    const code = problem.mlflowCode ?? MLFLOW_ERROR_CODE[problem.code];
    return {
      contentType: 'application/json',
      body: JSON.stringify({ error_code: code, message }),
    };
  }
  const base = { error: problem.code, message, requestId };
  let body = JSON.stringify({
    ...base,
    ...(problem.details ? { details: problem.details } : {}),
    ...(problem.omitted ? { omitted: problem.omitted } : {}),
  });
  if (Buffer.byteLength(body) > MAX_ERROR_BODY_BYTES) body = JSON.stringify(base);
  return { contentType: HEART_JSON, body };
}
