import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorBody } from '../error-body.js';
import type { ApiProblem } from '../errors.js';
import { ERROR_STATUS } from '../errors.js';

/** Timeouts of the server, ms (Node's defaults are minutes). */
export interface ServerTimeouts {
  /** The request line and headers must arrive within this. Default 10 s. */
  headersMs?: number;
  /** The whole request (headers and body) must arrive within this. Default 30 s. */
  requestMs?: number;
  /** An idle keep-alive connection is closed after this. Default 72 s (longer than most balancers'). */
  keepAliveMs?: number;
  /** How often Node checks the first two. Default 1 s. */
  checkMs?: number;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/** What Node's parser refused, as heart's problem. */
function clientProblem(error: NodeJS.ErrnoException): ApiProblem {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return {
      code: 'HEADERS_TOO_LARGE',
      message: 'the request headers are larger than the server accepts (16 KiB)',
    };
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { code: 'REQUEST_TIMEOUT', message: 'the request did not arrive in time' };
  }
  return { code: 'BAD_REQUEST', message: 'the HTTP request is malformed' };
}

/**
 * Answers what Node's HTTP parser refuses (a malformed request line or header, headers too large,
 * a request that took too long) with heart's JSON error body — the same `{ error, message,
 * requestId }` as every other error, `nosniff` included — instead of Node's bare status line, then
 * closes the connection. A connection that is gone or already answering is just destroyed.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const writable = socket.writable && !(socket as Duplex & { _httpMessage?: unknown })._httpMessage;
  if (error.code === 'ECONNRESET' || !writable) {
    socket.destroy();
    return;
  }
  const problem = clientProblem(error);
  const status = ERROR_STATUS[problem.code];
  const { contentType, body } = errorBody(problem, 'none', 'heart');
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Bad Request'}\r\ncontent-type: ${contentType}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nx-content-type-options: nosniff\r\nconnection: close\r\n\r\n${body}`,
  );
}

/**
 * The service's `node:http` server: `listener` for every request, timeouts that a slow client
 * cannot hold open for minutes, and Node's own 400/408/431 answered in heart's JSON.
 *
 * @example
 * const server = createHttpServer(app.handle);
 * server.listen(8000, '127.0.0.1');
 */
export function createHttpServer(
  listener: (request: IncomingMessage, response: ServerResponse) => void,
  timeouts: ServerTimeouts = {},
): Server {
  const server = createServer(
    {
      keepAliveTimeout: timeouts.keepAliveMs ?? 72_000,
      headersTimeout: timeouts.headersMs ?? 10_000,
      requestTimeout: timeouts.requestMs ?? 30_000,
      connectionsCheckingInterval: timeouts.checkMs ?? 1000,
    },
    listener,
  );
  server.on('clientError', answerClientError);
  return server;
}
