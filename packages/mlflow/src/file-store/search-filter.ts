import { ownValue } from '@heart/internal';
import { invalidParameter } from '../errors.js';
import type { Run } from '../types.js';

type Entity = 'metrics' | 'params' | 'tags' | 'attributes';
type Comparator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'LIKE' | 'ILIKE';

/** One `entity.key op value` clause of an MLflow filter. */
export interface FilterClause {
  entity: Entity;
  key: string;
  comparator: Comparator;
  value: string | number;
}

const ENTITY_ALIASES: Record<string, Entity> = {
  metric: 'metrics',
  metrics: 'metrics',
  param: 'params',
  params: 'params',
  parameter: 'params',
  parameters: 'params',
  tag: 'tags',
  tags: 'tags',
  attribute: 'attributes',
  attributes: 'attributes',
  attr: 'attributes',
  run: 'attributes',
};
const NUMERIC_ATTRIBUTES = new Set(['start_time', 'end_time']);
const STRING_ATTRIBUTES = new Set([
  'run_id',
  'run_name',
  'status',
  'user_id',
  'artifact_uri',
  'lifecycle_stage',
]);

const TOKEN =
  /\s*(?:(`[^`]*`|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(!=|>=|<=|=|>|<)|([A-Za-z_][\w]*(?:\.(?:`[^`]*`|"[^"]*"|[^\s=!<>'"`]+))?)|(-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?))/y;

/**
 * Parses the subset of MLflow's search grammar the trackers use: clauses joined by `AND`, each
 * `metrics.<key>`, `params.<key>`, `tags.<key>` or `attributes.<name>` compared with `= != > >= < <=`
 * (numbers) or `= != LIKE ILIKE` (quoted strings). Keys with special characters go in backticks.
 */
export function parseFilter(filter: string | undefined): FilterClause[] {
  if (filter === undefined || filter.trim() === '') return [];
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let position = 0;
  while (position < filter.length) {
    if (/^\s*$/.test(filter.slice(position))) break;
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(filter);
    if (!match) throw invalidClause(filter);
    tokens.push(match[0].trim());
    position = TOKEN.lastIndex;
  }
  const clauses: FilterClause[] = [];
  for (let i = 0; i < tokens.length; ) {
    const [identifier, comparator, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (identifier === undefined || comparator === undefined || value === undefined)
      throw invalidClause(filter);
    clauses.push(clause(identifier, comparator, value, filter));
    i += 3;
    if (i < tokens.length) {
      if (tokens[i]!.toUpperCase() !== 'AND') throw invalidClause(filter);
      i++;
      if (i >= tokens.length) throw invalidClause(filter);
    }
  }
  return clauses;
}

function clause(
  identifier: string,
  rawComparator: string,
  rawValue: string,
  filter: string,
): FilterClause {
  const dot = identifier.indexOf('.');
  const prefix = dot < 0 ? 'attributes' : identifier.slice(0, dot).toLowerCase();
  const entity = ownValue(ENTITY_ALIASES, prefix) as Entity | undefined;
  if (!entity) throw invalidClause(filter, `unknown entity "${prefix}"`);
  const key = unquote(dot < 0 ? identifier : identifier.slice(dot + 1));
  const comparator = rawComparator.toUpperCase() as Comparator;
  const quoted = /^['"]/.test(rawValue);
  const numeric = entity === 'metrics' || (entity === 'attributes' && NUMERIC_ATTRIBUTES.has(key));
  if (entity === 'attributes' && !NUMERIC_ATTRIBUTES.has(key) && !STRING_ATTRIBUTES.has(key)) {
    throw invalidClause(filter, `unknown attribute "${key}"`);
  }
  if (numeric) {
    if (
      quoted ||
      !['=', '!=', '>', '>=', '<', '<='].includes(comparator) ||
      Number.isNaN(Number(rawValue))
    ) {
      throw invalidClause(filter, `${entity}.${key} needs a number and one of = != > >= < <=`);
    }
    return { entity, key, comparator, value: Number(rawValue) };
  }
  if (!quoted || !['=', '!=', 'LIKE', 'ILIKE'].includes(comparator)) {
    throw invalidClause(
      filter,
      `${entity}.${key} needs a quoted string and one of = != LIKE ILIKE`,
    );
  }
  return { entity, key, comparator, value: unquote(rawValue) };
}

function unquote(text: string): string {
  if (/^(`.*`|".*"|'.*')$/s.test(text)) return text.slice(1, -1).replace(/\\(.)/g, '$1');
  return text;
}

function invalidClause(filter: string, detail?: string) {
  return invalidParameter(
    `Invalid clause(s) in filter string: '${filter}'${detail ? ` (${detail})` : ''}`,
  );
}

/** Whether `run` passes every clause (a run without the metric, param or tag does not). */
export function matchesFilter(run: Run, clauses: readonly FilterClause[]): boolean {
  return clauses.every((item) => {
    const actual = lookup(run, item.entity, item.key);
    if (actual === undefined) return false;
    return compare(actual, item.comparator, item.value);
  });
}

function lookup(run: Run, entity: Entity, key: string): string | number | undefined {
  switch (entity) {
    case 'metrics':
      return run.data.metrics.find((metric) => metric.key === key)?.value;
    case 'params':
      return run.data.params.find((param) => param.key === key)?.value;
    case 'tags':
      return run.data.tags.find((tag) => tag.key === key)?.value;
    default: {
      const info = run.info;
      const attributes: Record<string, string | number | undefined> = {
        run_id: info.runId,
        run_name: info.runName,
        status: info.status,
        user_id: info.userId,
        artifact_uri: info.artifactUri,
        lifecycle_stage: info.lifecycleStage,
        start_time: info.startTime,
        end_time: info.endTime,
      };
      return ownValue(attributes, key) as string | number | undefined;
    }
  }
}

function compare(
  actual: string | number,
  comparator: Comparator,
  expected: string | number,
): boolean {
  switch (comparator) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    default: {
      const pattern = String(expected)
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replaceAll('%', '.*')
        .replaceAll('_', '.');
      return new RegExp(`^${pattern}$`, comparator === 'ILIKE' ? 'is' : 's').test(String(actual));
    }
  }
}

/** Sorts runs as MLflow does: the `orderBy` terms, then newest first, then run id. */
export function sortRuns(runs: Run[], orderBy: readonly string[] = []): Run[] {
  const terms = orderBy.map((term) => {
    const match = /^\s*(.+?)(?:\s+(ASC|DESC))?\s*$/i.exec(term);
    if (!match) throw invalidParameter(`Invalid order_by clause '${term}'`);
    const identifier = match[1]!;
    const dot = identifier.indexOf('.');
    const prefix = (dot < 0 ? 'attributes' : identifier.slice(0, dot)).toLowerCase();
    const entity = ownValue(ENTITY_ALIASES, prefix) as Entity | undefined;
    if (!entity) throw invalidParameter(`Invalid order_by clause '${term}'`);
    return {
      entity,
      key: unquote(dot < 0 ? identifier : identifier.slice(dot + 1)),
      descending: match[2]?.toUpperCase() === 'DESC',
    };
  });
  return [...runs].sort((a, b) => {
    for (const term of terms) {
      const left = lookup(a, term.entity, term.key);
      const right = lookup(b, term.entity, term.key);
      if (left === right) continue;
      // Runs without the value sort last, whatever the direction.
      if (left === undefined) return 1;
      if (right === undefined) return -1;
      const order = left < right ? -1 : 1;
      return term.descending ? -order : order;
    }
    return b.info.startTime - a.info.startTime || (a.info.runId < b.info.runId ? -1 : 1);
  });
}
