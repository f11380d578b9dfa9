import cluster from 'node:cluster';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { Answer, Context, Handler } from './context.js';
import { errorBody } from './error-body.js';
import { ApiError, type ApiProblem, ERROR_STATUS } from './errors.js';
import { clip } from './http/content-type.js';
import { createWriteCoalescer } from './http/write-coalescer.js';
import type { ApiMetrics } from './metrics.js';

/** How every answer leaves the app: headers, the error body, metrics and the debug line. */
export interface Responder {
  /** The caller's `x-request-id` when well-formed (`[\w.:-]{1,64}`), else a new `req-<n>`. */
  requestId(request: IncomingMessage): string;
  /**
   * Runs a handler and answers 200 with its result; an {@link ApiError} it throws (or rejects
   * with) is answered as itself, anything else as a plain 500 (logged, no details). A
   * synchronous result is answered at once (no promise on the hot path).
   */
  answer(context: Context, handler: Handler): void;
  /** Answers the problem with its code's status, in the route's protocol (`errorBody`). */
  fail(context: Context, problem: ApiProblem): void;
  /** From now on every answer carries `connection: close`, so keep-alive sockets end. */
  startClosing(): void;
}

/** An answer on its way out. */
interface Outgoing {
  context: Context;
  status: number;
  headers: string[];
  payload: string | Buffer;
}

const REQUEST_ID = /^[\w.:-]{1,64}$/;
const INTERNAL: ApiProblem = {
  code: 'INTERNAL',
  message: 'internal error; the request id is in the logs',
};
/** A log line's message stays under this many characters (with its fields, under 2 KiB). */
const LOG_MESSAGE_CHARS = 512;

/**
 * The one place answers are written: error codes become statuses (through `ERROR_STATUS`), errors
 * become the route protocol's error body, every answer carries `x-request-id` and
 * `x-content-type-options: nosniff` and is counted and timed. Answers of one event-loop turn are
 * written together ({@link createWriteCoalescer}).
 *
 * @example
 * const responder = createResponder({ metrics, logger });
 * responder.answer(context, () => ({ status: 'ok' })); // 200 {"status":"ok"}
 * responder.fail(context, { code: 'NOT_FOUND', message: 'no such route; see /docs' }); // 404
 */
export function createResponder(options: { metrics: ApiMetrics; logger: Logger }): Responder {
  const { metrics, logger } = options;
  const debug = logger.isLevelEnabled('debug');
  let closing = false;

  const write = ({ context, status, headers, payload }: Outgoing) => {
    const { response } = context;
    try {
      // Decided when written: an answer held while the server started closing says so too.
      if (closing) headers.push('connection', 'close');
      response.writeHead(status, headers);
      response.end(response.req.method === 'HEAD' ? undefined : payload);
    } catch (error) {
      // Only a bug of ours can get here (every header is ours); the client loses its connection.
      logger.error({ reqId: context.id, err: error }, 'answer could not be written');
      response.destroy();
      return;
    }
    // Latency: until the answer is handed to the socket.
    const seconds = (performance.now() - context.started) / 1000;
    metrics.observe(context.route, response.req.method ?? '', status, seconds);
    if (debug) {
      logger.debug(
        {
          reqId: context.id,
          method: response.req.method,
          route: context.route,
          statusCode: status,
          ms: seconds * 1000,
        },
        'request',
      );
    }
  };
  const coalesced = createWriteCoalescer(write);
  const send = (context: Context, status: number, payload: string | Buffer) => {
    // One writeHead with every header: cheaper than a setHeader per header.
    const headers = [
      'content-type',
      context.contentType,
      'content-length',
      String(typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length),
      'x-request-id',
      context.id,
      'x-content-type-options',
      'nosniff',
      ...context.headers,
    ];
    coalesced({ context, status, headers, payload });
  };
  const fail = (context: Context, problem: ApiProblem) => {
    const status = ERROR_STATUS[problem.code];
    if (status < 500) {
      logger.info(
        { reqId: context.id, code: problem.code, status, route: context.route },
        clip(problem.message, LOG_MESSAGE_CHARS),
      );
    }
    const { contentType, body } = errorBody(problem, context.id, context.protocol);
    context.contentType = contentType;
    send(context, status, body);
  };
  const failWith = (context: Context, error: unknown) => {
    if (error instanceof ApiError) return fail(context, error);
    logger.error({ reqId: context.id, err: error }, 'unhandled error');
    fail(context, INTERNAL);
  };
  const reply = (context: Context, result: Answer) =>
    send(
      context,
      200,
      typeof result === 'string' || Buffer.isBuffer(result) ? result : JSON.stringify(result),
    );

  return {
    requestId: createRequestIds(),
    answer(context, handler) {
      try {
        const result = handler(context);
        if (result instanceof Promise) {
          // A failure of the answer itself (a value JSON cannot write) is a 500 too, not an
          // unhandled rejection.
          result
            .then((value) => reply(context, value))
            .catch((error: unknown) => failWith(context, error));
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

/** Request ids: the caller's `x-request-id` when well-formed, else `req-<n>` counting from 1 (`req-<pid>-<n>` in a worker). */
function createRequestIds(): (request: IncomingMessage) => string {
  let nextId = 0;
  // Workers of one port name their ids apart: `req-<pid>-<n>`.
  const prefix = cluster.isWorker ? `req-${process.pid}-` : 'req-';
  return (request) => {
    const given = request.headers['x-request-id'];
    return typeof given === 'string' && REQUEST_ID.test(given)
      ? given
      : `${prefix}${(++nextId).toString(36)}`;
  };
}
