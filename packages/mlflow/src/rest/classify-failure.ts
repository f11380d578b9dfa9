import { MlflowError } from '../errors.js';
import { RETRY_STATUSES, retryAfterOf } from './retry.js';

/** A failed attempt as the retry policy sees it: the error to report, and whether to retry. */
export interface Failure {
  error: MlflowError;
  retryable: boolean;
  /** The server's `Retry-After`, in ms. */
  retryAfterMs?: number;
}

/**
 * Turns what one attempt threw into the `MlflowError` to report: MLflow's own errors are final;
 * an HTTP failure carries the server's `error_code` (retried for MLflow's retry statuses, with
 * its `Retry-After`); a timeout or a network error is `NETWORK_ERROR`, retried. `where` names the
 * server (no credentials); `now` dates a `Retry-After` date.
 */
export function classifyFailure(
  error: unknown,
  context: { label: string; endpoint: string; timeoutMs: number; where: string; now: number },
): Failure {
  const { label, endpoint, timeoutMs, where } = context;
  if (error instanceof MlflowError) return { error, retryable: false };
  if (error instanceof HttpFailure) {
    const retryAfterMs = retryAfterOf(error.status, error.headers.get('retry-after'), context.now);
    return {
      error: serverError(error, label, endpoint),
      retryable: RETRY_STATUSES.has(error.status),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  if (error instanceof TimeoutError) {
    return {
      error: new MlflowError({
        code: 'NETWORK_ERROR',
        endpoint,
        message: `${label}: ${where} did not answer within ${timeoutMs} ms`,
        cause: error,
      }),
      retryable: true,
    };
  }
  const code = networkCode(error);
  return {
    error: new MlflowError({
      code: 'NETWORK_ERROR',
      endpoint,
      message: `${label}: cannot reach ${where} (${code})`,
      cause: error,
    }),
    retryable: true,
  };
}

/** An attempt that ran past its timeout. */
export class TimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timeout after ${timeoutMs} ms`);
  }
}

/** A non-2xx answer, with what is needed to report it. */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly body: string,
  ) {
    super(`HTTP ${status}`);
  }
}

/** A 2xx answer's JSON (`{}` when empty); anything else is `UNEXPECTED_RESPONSE`. */
export function parseJsonAnswer(text: string, response: Response, endpoint: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new MlflowError({
      code: 'UNEXPECTED_RESPONSE',
      status: response.status,
      endpoint,
      message: `${endpoint}: the server answered HTTP ${response.status} with ${describeBody(text, response.headers.get('content-type'))}, not MLflow's JSON`,
    });
  }
}

/** MLflow's JSON error (`error_code` + `message`), or a description of whatever else came back. */
function serverError(failure: HttpFailure, label: string, endpoint: string): MlflowError {
  const type = failure.headers.get('content-type');
  let parsed: { error_code?: unknown; message?: unknown } | undefined;
  try {
    parsed = JSON.parse(failure.body) as typeof parsed;
  } catch {}
  if (parsed && typeof parsed === 'object' && typeof parsed.error_code === 'string') {
    return new MlflowError({
      code: parsed.error_code,
      status: failure.status,
      endpoint,
      message: `${label}: ${typeof parsed.message === 'string' ? parsed.message : parsed.error_code}`,
    });
  }
  return new MlflowError({
    // Flask's own 404 page: the server has no such endpoint (an older MLflow, or a wrong prefix).
    code: failure.status === 404 ? 'ENDPOINT_NOT_FOUND' : 'UNEXPECTED_RESPONSE',
    status: failure.status,
    endpoint,
    message: `${label}: the server answered HTTP ${failure.status} with ${describeBody(failure.body, type)}`,
  });
}

function describeBody(body: string, contentType: string | null): string {
  if (/html/i.test(contentType ?? '') || /^\s*<(!doctype|html)/i.test(body)) {
    const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
    return `an HTML page${title ? ` ("${title}")` : ''}`;
  }
  if (body.trim() === '') return 'an empty body';
  const snippet = body.length > 200 ? `${body.slice(0, 200)}…` : body;
  return `${contentType ?? 'a body'}: ${JSON.stringify(snippet)}`;
}

/** The system error code behind a failed fetch (`ECONNREFUSED`, a TLS code), or its message. */
function networkCode(error: unknown): string {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return error instanceof Error ? error.message : String(error);
}
