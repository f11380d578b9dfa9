import { ownValue } from '@heart/internal';
import { invalidParameter } from '../errors.js';

/** Which search a filter is for: their attributes differ (SPEC §8.2). */
export type RegistrySearchTarget = 'registered-models' | 'model-versions';

/** One `identifier op value` clause. */
export interface RegistryClause {
  kind: 'attribute' | 'tag';
  key: string;
  comparator: string;
  value: string | number | string[];
}

/** What a clause is compared against: attribute values and tags. */
export interface RegistrySearchable {
  attributes: Record<string, string | number>;
  tags: Record<string, string>;
}

const STRING_COMPARATORS = ['=', '!=', 'LIKE', 'ILIKE'];
const NUMERIC_COMPARATORS = ['=', '!=', '>', '>=', '<', '<='];
const ATTRIBUTES: Record<RegistrySearchTarget, Record<string, 'string' | 'number'>> = {
  'registered-models': { name: 'string' },
  'model-versions': {
    name: 'string',
    version_number: 'number',
    run_id: 'string',
    source_path: 'string',
  },
};
const CLAUSE =
  /^\s*((?:[A-Za-z_]\w*\.)?(?:`[^`]+`|"[^"]+"|'[^']+'|[\w.-]+))\s*(!=|>=|<=|=|>|<|ILIKE\b|LIKE\b|IN\b)\s*('(?:[^']|'')*'|"(?:[^"]|"")*"|-?\d+(?:\.\d+)?|\((?:\s*'[^']*'\s*,?)*\))\s*$/is;

/**
 * Parses the registry's search grammar as MLflow's `SearchModelUtils` / `SearchModelVersionUtils`
 * accept it: clauses joined by `AND`; `name`, `tags.<key>` (and for versions `version_number`,
 * `run_id` — also `IN ('a', 'b')` — and `source_path`); quoted strings, numbers for
 * `version_number`. Anything else is MLflow's 400 "Invalid clause(s) in filter string: …".
 */
export function parseRegistryFilter(
  filter: string | undefined,
  target: RegistrySearchTarget,
): RegistryClause[] {
  if (filter === undefined || filter.trim() === '') return [];
  const parts = splitOnAnd(filter);
  const invalid = parts.filter((part) => !CLAUSE.test(part));
  if (invalid.length > 0)
    throw invalidParameter(
      `Invalid clause(s) in filter string: ${invalid.map((part) => part.trim()).join(', ')}`,
    );
  return parts.map((part) => clause(CLAUSE.exec(part)!, target));
}

/** The clauses of `filter`: split on `AND` outside quotes, backticks and parentheses. */
function splitOnAnd(filter: string): string[] {
  const parts: string[] = [];
  let quote: string | undefined;
  let depth = 0;
  let start = 0;
  for (let i = 0; i < filter.length; i++) {
    const char = filter[i]!;
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"' || char === '`') quote = char;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (depth === 0 && /\s/.test(char) && /^\s+AND\s/i.test(filter.slice(i))) {
      parts.push(filter.slice(start, i));
      const skip = /^\s+AND\s+/i.exec(filter.slice(i))![0].length;
      start = i + skip;
      i = start - 1;
    }
  }
  parts.push(filter.slice(start));
  return parts;
}

function clause(match: RegExpExecArray, target: RegistrySearchTarget): RegistryClause {
  const [, identifier, rawComparator, rawValue] = match as unknown as [
    string,
    string,
    string,
    string,
  ];
  const comparator = rawComparator.toUpperCase();
  const dot = /^[A-Za-z_]\w*\./.exec(identifier)?.[0];
  const entity = dot ? dot.slice(0, -1) : 'attribute';
  if (!['attribute', 'tag', 'tags'].includes(entity)) {
    throw invalidParameter(
      `Invalid entity type '${entity}'. Valid entity types are ('attribute', 'tag', 'tags')`,
    );
  }
  const kind = entity === 'attribute' ? 'attribute' : 'tag';
  const key = unquote(dot ? identifier.slice(dot.length) : identifier);
  const type =
    kind === 'tag'
      ? 'string'
      : (ownValue(ATTRIBUTES[target], key) as 'string' | 'number' | undefined);
  if (!type) {
    const valid = Object.keys(ATTRIBUTES[target]).map((name) => `'${name}'`);
    throw invalidParameter(
      `Invalid attribute key '${key}' specified. Valid keys are '{${valid.join(', ')}}'`,
    );
  }
  const allowed =
    type === 'number'
      ? NUMERIC_COMPARATORS
      : key === 'run_id' && kind === 'attribute'
        ? [...STRING_COMPARATORS, 'IN']
        : STRING_COMPARATORS;
  if (!allowed.includes(comparator)) {
    throw invalidParameter(
      `Invalid comparator '${comparator}' for ${kind} '${key}'. Valid comparators are ${allowed.join(', ')}`,
    );
  }
  return { kind, key, comparator, value: clauseValue(rawValue, type, kind) };
}

function clauseValue(
  raw: string,
  type: 'string' | 'number',
  kind: string,
): RegistryClause['value'] {
  if (raw.startsWith('(')) return [...raw.matchAll(/'([^']*)'/g)].map((item) => item[1]!);
  const quoted = /^['"]/.test(raw);
  if (type === 'number') {
    const number = Number(quoted ? unquote(raw) : raw);
    if (!Number.isInteger(number))
      throw invalidParameter(`Expected an integer value for version_number. Got value ${raw}`);
    return number;
  }
  if (!quoted) {
    throw invalidParameter(
      `Expected a quoted string value for ${kind === 'tag' ? 'tag' : 'attributes'} (e.g. 'my-value'). Got value ${raw}`,
    );
  }
  return unquote(raw);
}

function unquote(text: string): string {
  const quote = text[0];
  if (quote === '`' || quote === '"' || quote === "'") {
    const body = text.slice(1, -1);
    return quote === '`' ? body : body.replaceAll(`${quote}${quote}`, quote);
  }
  return text;
}

/** Whether `entity` passes every clause (a missing tag passes none). */
export function matchesRegistryFilter(
  entity: RegistrySearchable,
  clauses: readonly RegistryClause[],
): boolean {
  return clauses.every((item) => {
    const source: Record<string, string | number> =
      item.kind === 'tag' ? entity.tags : entity.attributes;
    const actual = Object.hasOwn(source, item.key) ? source[item.key] : undefined;
    if (actual === undefined) return false;
    return compare(actual, item.comparator, item.value);
  });
}

function compare(actual: string | number, comparator: string, expected: RegistryClause['value']) {
  if (Array.isArray(expected)) return expected.includes(String(actual));
  const left = typeof expected === 'number' ? Number(actual) : String(actual);
  switch (comparator) {
    case '=':
      return left === expected;
    case '!=':
      return left !== expected;
    case '>':
      return left > expected;
    case '>=':
      return left >= expected;
    case '<':
      return left < expected;
    case '<=':
      return left <= expected;
    default: {
      const pattern = String(expected)
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replaceAll('%', '.*')
        .replaceAll('_', '.');
      return new RegExp(`^${pattern}$`, comparator === 'ILIKE' ? 'is' : 's').test(String(left));
    }
  }
}
