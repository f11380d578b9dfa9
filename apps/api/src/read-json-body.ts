import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { ApiProblem } from './errors.js';

const JSON_TYPE = /^application\/json\s*(?:;|$)/i;

/** Called once per request: with a problem, or with the parsed body. */
export type JsonBodyCallback = (problem: ApiProblem | undefined, body?: unknown) => void;

/**
 * Reads a JSON body: refuses a non-JSON content type (415), more than `limit` bytes (413, at once
 * when `content-length` says so, else as soon as the limit is passed), bytes that are not UTF-8,
 * an empty body and malformed JSON (400). Calls `done` at most once: never when the client goes
 * away mid-body. A refused body is drained, not parsed.
 *
 * @example
 * readJsonBody(request, 1_048_576, (problem, body) => {
 *   if (problem) return fail(context, problem); // { code: 'MALFORMED_JSON', message: '…' }
 *   handle(body);
 * });
 */
export function readJsonBody(
  request: IncomingMessage,
  limit: number,
  done: JsonBodyCallback,
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
    done(tooLarge(limit));
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
      done(tooLarge(limit));
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
    parseJson(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), done);
  });
}

const tooLarge = (limit: number): ApiProblem => ({
  code: 'PAYLOAD_TOO_LARGE',
  message: `body larger than ${limit} bytes`,
});

/** The body's bytes as JSON, or the reason they are not (all MALFORMED_JSON). */
function parseJson(bytes: Buffer, done: JsonBodyCallback): void {
  if (!isUtf8(bytes)) {
    done({ code: 'MALFORMED_JSON', message: 'the body is not valid UTF-8' });
    return;
  }
  const text = bytes.toString('utf8');
  if (text.trim() === '') {
    done({ code: 'MALFORMED_JSON', message: 'the body is empty; send a JSON object' });
    return;
  }
  try {
    done(undefined, JSON.parse(text));
  } catch (error) {
    done({
      code: 'MALFORMED_JSON',
      message: `the body is not valid JSON (${(error as Error).message})`,
    });
  }
}
