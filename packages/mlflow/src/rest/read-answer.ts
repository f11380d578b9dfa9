import { MlflowError } from '../errors.js';

/** The most bytes of one answer read into memory, by default (`maxAnswerBytes`): 256 MiB. */
export const MAX_ANSWER_BYTES = 256 * 1024 * 1024;
/** The most bytes of an error answer read: only its message is used. */
const ERROR_BYTES = 64 * 1024;

const decoder = new TextDecoder();

/** The length an answer declares, when its bytes arrive as declared (not compressed), else undefined. */
function declaredLength(response: Response): number | undefined {
  const encoding = response.headers.get('content-encoding');
  if (encoding && encoding.toLowerCase() !== 'identity') return undefined;
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

/** Up to `limit` bytes of the body (`cut` says whether there were more; the rest is not read). */
async function readUpTo(
  response: Response,
  limit: number,
): Promise<{ bytes: Uint8Array; cut: boolean }> {
  const declared = declaredLength(response);
  if (declared !== undefined && declared <= limit) {
    return { bytes: new Uint8Array(await response.arrayBuffer()), cut: false };
  }
  const reader = response.body?.getReader();
  if (!reader) return { bytes: new Uint8Array(0), cut: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.length > limit) {
      chunks.push(value.subarray(0, limit - size));
      size = limit;
      await reader.cancel().catch(() => undefined);
      return { bytes: join(chunks, size), cut: true };
    }
    chunks.push(value);
    size += value.length;
  }
  return { bytes: join(chunks, size), cut: false };
}

function join(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

/**
 * A 2xx answer's bytes, at most `limit` of them: a larger answer (declared, or found while reading)
 * is `UNEXPECTED_RESPONSE` naming the limit, and its rest is never read — a server cannot make
 * the client hold more than `limit` bytes (or throw V8's raw "Invalid string length").
 *
 * @example
 * const text = await answerText(response, MAX_ANSWER_BYTES, 'runs/search');
 */
export async function answerBytes(
  response: Response,
  limit: number,
  endpoint: string,
): Promise<Uint8Array> {
  const declared = declaredLength(response);
  const read =
    declared !== undefined && declared > limit ? undefined : await readUpTo(response, limit);
  if (read && !read.cut) return read.bytes;
  if (!read) await response.body?.cancel().catch(() => undefined);
  throw new MlflowError({
    code: 'UNEXPECTED_RESPONSE',
    status: response.status,
    endpoint,
    message: `${endpoint}: the server's answer is larger than ${limit} bytes (rest option maxAnswerBytes); it was not read`,
  });
}

/** A 2xx answer's text (UTF-8), at most `limit` bytes of it: see {@link answerBytes}. */
export async function answerText(
  response: Response,
  limit: number,
  endpoint: string,
): Promise<string> {
  return decoder.decode(await answerBytes(response, limit, endpoint));
}

/** The first 64 KiB of an error answer, as text (the rest is not read). */
export async function errorText(response: Response): Promise<string> {
  return decoder.decode((await readUpTo(response, ERROR_BYTES)).bytes);
}
