import { ApiError, type ApiProblem } from '../errors.js';
import { clip, parseContentType } from '../http/content-type.js';
import { parseJsonBody } from '../http/parse-json.js';
import type { BodyFormat } from '../router.js';

/** An `/invocations` body: JSON, or the text of a CSV. */
export type ScoringBody = { kind: 'json'; value: unknown } | { kind: 'csv'; text: string };

/** An `/invocations` body as read: JSON's bytes (the route parses what it does not read itself), or CSV text. */
export type ScoringBytes = { kind: 'json'; bytes: Buffer } | { kind: 'csv'; text: string };

/**
 * The body as JSON or CSV: JSON's bytes parsed (a BOM refused, as MLflow does; 400 for bytes that
 * are not UTF-8 or not JSON).
 *
 * @example
 * parsedBody({ kind: 'json', bytes: Buffer.from('{"inputs": [[1]]}') }); // { kind: 'json', value: { inputs: [[1]] } }
 */
export function parsedBody(body: ScoringBytes): ScoringBody {
  return body.kind === 'csv'
    ? body
    : { kind: 'json', value: parseJsonBody(body.bytes, { bom: false }) };
}

const TYPES = "Types: ['text/csv', 'application/json']";

/**
 * The content types of MLflow's scoring server, as recorded from `mlflow models serve`: the mime
 * compared case-sensitively (`application/json` or `text/csv`), no parameter but `charset`, and
 * that charset UTF-8 (unquoted, any case) — else 415 with MLflow's message. Where MLflow answers
 * 500 (no Content-Type, UTF-16) this answers 415, and 400 for bytes that are not UTF-8.
 *
 * @example
 * scoringContentProblem('APPLICATION/JSON'); // 415 "This predictor only supports …. Got 'APPLICATION/JSON'."
 */
function scoringContentProblem(header: string | undefined): ApiProblem | undefined {
  if (header === 'application/json' || header === 'text/csv') return undefined;
  if (header === undefined || header.trim() === '') {
    return refuse(
      `This predictor only supports the following content types: ${TYPES}. Got none: send a Content-Type header.`,
    );
  }
  const { mime, params } = parseContentType(header);
  if (mime !== 'application/json' && mime !== 'text/csv') {
    return refuse(
      `This predictor only supports the following content types: ${TYPES}. Got '${clip(header)}'.`,
    );
  }
  const unknown = Object.keys(params).filter((name) => name !== 'charset');
  if (unknown.length > 0) {
    return refuse(
      `Unrecognized content type parameters: ${clip(unknown.join(', '))}. The MLflow scoring protocol changed in MLflow 2.0: send application/json with one of dataframe_split, dataframe_records, instances or inputs, or text/csv (see /docs).`,
    );
  }
  if (params.charset !== undefined && params.charset.toLowerCase() !== 'utf-8') {
    return refuse('The scoring server only supports UTF-8');
  }
  return undefined;
}

const refuse = (message: string): ApiProblem => ({ code: 'UNSUPPORTED_MEDIA_TYPE', message });

/** `/invocations` bodies: JSON's bytes (see {@link parsedBody}) or CSV text (a BOM skipped). */
export const SCORING_BODY: BodyFormat = {
  accept: scoringContentProblem,
  parse(bytes, contentType): ScoringBytes {
    const csv = parseContentType(contentType ?? '').mime === 'text/csv';
    if (!csv) return { kind: 'json', bytes };
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
    try {
      return { kind: 'csv', text: text.decode(bytes) };
    } catch {
      throw new ApiError({ code: 'MALFORMED_JSON', message: 'the body is not valid UTF-8' });
    }
  },
};
