import { invalidParameter } from '../errors.js';
import type { RegistrySearchTarget } from './registry-filter.js';

/**
 * Ordering and paging of the file store's registry searches, as MLflow's file store does them:
 * `order_by` keys with `ASC`/`DESC`, ties broken by name (then newest version), and page tokens
 * that are base64 of Python's `json.dumps({"offset": N})` (`eyJvZmZzZXQiOiAxfQ==`).
 */

const ORDER_KEYS: Record<RegistrySearchTarget, readonly string[]> = {
  'registered-models': ['name', 'creation_timestamp', 'last_updated_timestamp'],
  'model-versions': ['name', 'version_number', 'creation_timestamp', 'last_updated_timestamp'],
};

/** `items` sorted by `orderBy`; `value` reads an attribute (`version_number` → the number). */
export function sortRegistry<T>(
  items: readonly T[],
  orderBy: readonly string[] | undefined,
  target: RegistrySearchTarget,
  value: (item: T, key: string) => string | number,
): T[] {
  const keys = (orderBy ?? []).map((clause) => parseOrderBy(clause, target));
  if (!keys.some(([key]) => key === 'name')) keys.push(['name', true]);
  if (target === 'model-versions') keys.push(['version_number', false]);
  return [...items].sort((a, b) => {
    for (const [key, ascending] of keys) {
      const left = value(a, key);
      const right = value(b, key);
      if (left === right) continue;
      return (left < right ? -1 : 1) * (ascending ? 1 : -1);
    }
    return 0;
  });
}

function parseOrderBy(clause: string, target: RegistrySearchTarget): [string, boolean] {
  const match = /^\s*(?:attribute\.)?(`[^`]+`|[\w.]+)(?:\s+(ASC|DESC))?\s*$/i.exec(clause);
  if (!match) throw invalidParameter(`Invalid order_by clause '${clause}'. Could not be parsed.`);
  const key = match[1]!.replaceAll('`', '');
  if (!ORDER_KEYS[target].includes(key)) {
    throw invalidParameter(
      `Invalid attribute key '${key}' specified. Valid keys are '{${ORDER_KEYS[target].map((name) => `'${name}'`).join(', ')}}'`,
    );
  }
  return [key, (match[2] ?? 'ASC').toUpperCase() === 'ASC'];
}

/** The page of `items` a token starts, and the next page's token when there is one. */
export function paginate<T>(
  items: readonly T[],
  maxResults: number,
  pageToken: string | undefined,
): { page: T[]; nextPageToken?: string } {
  const start = parsePageToken(pageToken);
  const end = start + maxResults;
  const page = items.slice(start, end);
  return end < items.length ? { page, nextPageToken: createPageToken(end) } : { page };
}

/** MLflow's page token: base64 of `{"offset": N}` in Python's JSON spacing. */
export function createPageToken(offset: number): string {
  return Buffer.from(`{"offset": ${offset}}`, 'utf8').toString('base64');
}

/** The offset a page token holds, refused with MLflow's messages. */
export function parsePageToken(token: string | undefined): number {
  if (!token) return 0;
  const filtered = token.replace(/[^A-Za-z0-9+/=]/g, '');
  const data = filtered.replace(/=+$/, '');
  const padded = data.length % 4 === 0 || (filtered.length % 4 === 0 && data.length % 4 !== 1);
  if (data.includes('=') || !padded)
    throw invalidParameter('Invalid page token, could not base64-decode');
  const decoded = Buffer.from(data, 'base64');
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoded.toString('utf8'));
  } catch {
    throw invalidParameter(`Invalid page token, decoded value=${pythonBytes(decoded)}`);
  }
  const offset =
    parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>).offset
      : undefined;
  if (!offset) throw invalidParameter(`Invalid page token, parsed value=${pythonRepr(parsed)}`);
  const number =
    typeof offset === 'string' && /^\s*-?\d+\s*$/.test(offset) ? Number(offset) : offset;
  if (typeof number !== 'number' || !Number.isInteger(number))
    throw invalidParameter(`Invalid page token, not stringable ${pythonRepr(offset)}`);
  return Math.max(0, number);
}

/** Python's `repr` of bytes: `b'…'`. */
function pythonBytes(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) {
    if (byte === 0x27 || byte === 0x5c) text += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) text += String.fromCharCode(byte);
    else text += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `b'${text}'`;
}

/** Python's `repr` of a JSON value: `{'offset': 0}`. */
function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string')
    return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (typeof value === 'object')
    return `{${Object.entries(value)
      .map(([key, item]) => `${pythonRepr(key)}: ${pythonRepr(item)}`)
      .join(', ')}}`;
  return String(value);
}
