import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { Context, Handler, Json } from './context.js';
import { ApiError, type ApiProblem, ERROR_STATUS } from './errors.js';
import type { ApiMetrics } from './metrics.js';

/** How every answer leaves the app: headers, the JSON error body, metrics and the debug line. */
export interface Responder {
  /** The caller's `x-request-id` when well-formed (`[\w.:-]{1,64}`), else a new `req-<n>`. */
  requestId(request: IncomingMessage): string;
  /**
   * Runs a handler and answers 200 with its result; an {@link ApiError} it throws (or rejects
   * with) is answered as itself, anything else as a plain 500 (logged, no details). A
   * synchronous result is answered at once (no promise on the hot path).
   */
  answer(context: Context, handler: Handler): void;
  /** Answers `{ error, message, requestId, details? }` with the code's status. */
  fail(context: Context, problem: ApiProblem): void;
  /** From now on every answer carries `connection: close`, so keep-alive sockets end. */
  startClosing(): void;
}

const REQUEST_ID = /^[\w.:-]{1,64}$/;
const INTERNAL: ApiProblem = {
  code: 'INTERNAL',
  message: 'internal error; the request id is in the logs',
};

/**
 * The one place answers are written: error codes become statuses (through `ERROR_STATUS`), errors
 * become the JSON error body, every answer carries `x-request-id` and is counted and timed.
 *
 * @example
 * const responder = createResponder({ metrics, logger });
 * responder.answer(context, () => ({ status: 'ok' })); // 200 {"status":"ok"}
 * responder.fail(context, { code: 'NOT_FOUND', message: 'no route GET /nope; see /docs' }); // 404
 */
export function createResponder(options: { metrics: ApiMetrics; logger: Logger }): Responder {
  const { metrics, logger } = options;
  const debug = logger.isLevelEnabled('debug');
  let closing = false;

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
  const fail = (context: Context, problem: ApiProblem) => {
    const status = ERROR_STATUS[problem.code];
    if (status < 500)
      logger.info({ reqId: context.id, code: problem.code, status }, problem.message);
    send(context, status, errorBody(problem, context.id));
  };
  const failWith = (context: Context, error: unknown) => {
    if (error instanceof ApiError) return fail(context, error);
    logger.error({ reqId: context.id, err: error }, 'unhandled error');
    fail(context, INTERNAL);
  };
  const reply = (context: Context, result: Json | string) =>
    send(context, 200, typeof result === 'string' ? result : JSON.stringify(result));

  return {
    requestId: createRequestIds(),
    answer(context, handler) {
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
    },
    fail,
    startClosing() {
      closing = true;
    },
  };
}

/** The JSON error body: `{ error, message, requestId, details? }` (no stack, ever). */
function errorBody({ code, message, details }: ApiProblem, requestId: string): string {
  return JSON.stringify({ error: code, message, requestId, ...(details ? { details } : {}) });
}

/** Request ids: the caller's `x-request-id` when well-formed, else `req-<n>` counting from 1. */
function createRequestIds(): (request: IncomingMessage) => string {
  let nextId = 0;
  return (request) => {
    const given = request.headers['x-request-id'];
    return typeof given === 'string' && REQUEST_ID.test(given)
      ? given
      : `req-${(++nextId).toString(36)}`;
  };
}
