import { isUtf8 } from 'node:buffer';
import { ApiError } from '../errors.js';
import { clip } from './content-type.js';

/**
 * A body's bytes as JSON: refuses bytes that are not UTF-8, an empty body and malformed JSON
 * (`MALFORMED_JSON`, 400). A leading UTF-8 byte order mark is skipped when `bom` is true (heart's
 * routes), kept — and so refused by the parser — otherwise (MLflow's `/invocations` does so).
 *
 * @example
 * parseJsonBody(Buffer.from('\uFEFF{"age":63}'), { bom: true }); // { age: 63 }
 */
export function parseJsonBody(bytes: Buffer, options: { bom: boolean }): unknown {
  if (!isUtf8(bytes)) {
    throw new ApiError({ code: 'MALFORMED_JSON', message: 'the body is not valid UTF-8' });
  }
  const start = options.bom && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const text = bytes.toString('utf8', start);
  try {
    return JSON.parse(text);
  } catch (error) {
    if (text.trim() === '') {
      throw new ApiError({
        code: 'MALFORMED_JSON',
        message: 'the body is empty; send a JSON object',
      });
    }
    throw new ApiError({
      code: 'MALFORMED_JSON',
      message: `the body is not valid JSON (${clip((error as Error).message, 200)})`,
    });
  }
}
