import type { ApiProblem } from '../errors.js';

/** A `Content-Type` header as `mime; name=value; …`: the mime as sent, parameter names lower-cased. */
export interface ContentType {
  mime: string;
  params: Record<string, string>;
}

/**
 * Splits a `Content-Type` header into its mime and parameters (values as sent, quotes kept), the
 * way MLflow's scoring server reads it.
 *
 * @example
 * parseContentType('application/json; charset=UTF-8'); // { mime: 'application/json', params: { charset: 'UTF-8' } }
 */
export function parseContentType(header: string): ContentType {
  const [mime = '', ...rest] = header.split(';');
  const params: Record<string, string> = Object.create(null);
  for (const part of rest) {
    const at = part.indexOf('=');
    const name = (at < 0 ? part : part.slice(0, at)).trim().toLowerCase();
    if (name !== '') params[name] = at < 0 ? '' : part.slice(at + 1).trim();
  }
  return { mime: mime.trim(), params };
}

const UTF8 = /^"?utf-?8"?$/i;

/**
 * heart's rule for JSON bodies (its own routes and OIP): `application/json` in any case, any
 * parameters, and if a charset is named it is UTF-8 (quoted or not); else 415.
 *
 * @example
 * jsonContentProblem('application/json; charset=latin-1'); // { code: 'UNSUPPORTED_MEDIA_TYPE', … }
 */
export function jsonContentProblem(header: string | undefined): ApiProblem | undefined {
  // The hot path: what every client sends.
  if (header === 'application/json') return undefined;
  const { mime, params } = parseContentType(header ?? '');
  if (mime.toLowerCase() !== 'application/json') {
    return {
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: `Content-Type ${JSON.stringify(clip(header ?? ''))} is not supported; send application/json`,
    };
  }
  const charset = params.charset;
  if (charset !== undefined && !UTF8.test(charset)) {
    return {
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: `charset ${JSON.stringify(clip(charset))} is not supported; send UTF-8 (charset=utf-8)`,
    };
  }
  return undefined;
}

/**
 * A client's text, cut to `max` characters for a message.
 *
 * @example
 * clip('x'.repeat(500), 3); // 'xxx…'
 */
export function clip(text: string, max = 100): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
