import { MlflowError } from '../errors.js';

/**
 * The token of the page after this one (`undefined`: the last page), refusing a token the paging
 * already followed: a server that names the same page again would be paged forever
 * (`UNEXPECTED_RESPONSE`, naming the endpoint).
 *
 * @example
 * const seen = new Set<string>();
 * do { …; pageToken = nextPage(seen, answer.next_page_token, 'metrics/get-history'); } while (pageToken);
 */
export function nextPage(seen: Set<string>, token: unknown, endpoint: string): string | undefined {
  if (typeof token !== 'string' || token === '') return undefined;
  if (seen.has(token)) {
    throw new MlflowError({
      code: 'UNEXPECTED_RESPONSE',
      message: `${endpoint} answered next_page_token ${JSON.stringify(token.slice(0, 64))} again: its paging would never end`,
      endpoint,
    });
  }
  seen.add(token);
  return token;
}
