import type { IncomingMessage } from 'node:http';
import type { ApiProblem } from '../errors.js';

/** Called once per request: with a problem, or with the body's bytes. */
export type BodyCallback = (problem: ApiProblem | undefined, bytes?: Buffer) => void;

/** How much of a refused body is still read, so that the client reads the 413 before we close. */
export interface DrainOptions {
  /** Bytes read past the limit before the connection is closed. Default 4 MiB. */
  bytes?: number;
  /** Longest drain, ms (the timer does not keep the process alive). Default 2000. */
  ms?: number;
}

const DRAIN_BYTES = 4 * 1024 * 1024;
const DRAIN_MS = 2000;

/**
 * Reads a request body up to `limit` bytes. Past the limit (at once when `content-length` says
 * so) it answers 413 and then *drains*: the rest of the body is read and dropped, up to
 * `drain.bytes` past the limit or for `drain.ms`, whichever ends first, and only then is the
 * connection closed — a client still sending gets its 413 instead of a broken pipe; a body that
 * ends within the drain leaves the connection usable. Calls `done` at most once: never when the
 * client goes away mid-body.
 *
 * @example
 * readBody(request, 1_048_576, (problem, bytes) => {
 *   if (problem) return fail(context, problem); // PAYLOAD_TOO_LARGE
 *   handle(bytes);
 * });
 */
export function readBody(
  request: IncomingMessage,
  limit: number,
  done: BodyCallback,
  drain: DrainOptions = {},
): void {
  const declared = Number(request.headers['content-length']);
  if (declared > limit) {
    drainRest(request, 0, limit, drain);
    done(tooLarge(limit));
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      finished = true;
      request.off('data', onData);
      chunks.length = 0;
      drainRest(request, size, limit, drain);
      done(tooLarge(limit));
      return;
    }
    chunks.push(chunk);
  };
  request.on('data', onData);
  request.on('error', () => {
    finished = true;
  });
  request.on('end', () => {
    if (finished) return;
    finished = true;
    done(undefined, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
  });
}

const tooLarge = (limit: number): ApiProblem => ({
  code: 'PAYLOAD_TOO_LARGE',
  message: `body larger than ${limit} bytes`,
});

/** Reads and drops the rest of a refused body; closes the connection once the drain runs out. */
function drainRest(request: IncomingMessage, read: number, limit: number, drain: DrainOptions) {
  let left = limit + (drain.bytes ?? DRAIN_BYTES) - read;
  const stop = () => {
    clearTimeout(timer);
    request.socket?.destroy();
  };
  const timer = setTimeout(stop, drain.ms ?? DRAIN_MS);
  timer.unref();
  request.on('data', (chunk: Buffer) => {
    left -= chunk.length;
    if (left < 0) stop();
  });
  request.on('end', () => clearTimeout(timer));
  request.on('close', () => clearTimeout(timer));
  request.resume();
}
