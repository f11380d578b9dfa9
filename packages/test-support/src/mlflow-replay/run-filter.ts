import { latestMetrics, type ReplayRun } from './replay-run.js';

type Entity = 'metrics' | 'params' | 'tags' | 'attributes';
type Comparator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'LIKE' | 'ILIKE';

/** One `entity.key op value` clause of an MLflow filter. */
export interface FilterClause {
  entity: Entity;
  key: string;
  comparator: Comparator;
  value: string | number;
}

const ENTITIES: Record<string, Entity> = {
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
const TOKEN =
  /\s*(?:(`[^`]*`|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(!=|>=|<=|=|>|<)|([A-Za-z_][\w]*(?:\.(?:`[^`]*`|"[^"]*"|[^\s=!<>'"`]+))?)|(-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?))/y;

/**
 * Parses the part of MLflow's search grammar the clients send: `entity.key op value` clauses
 * joined by `AND`, numbers for metrics and times, quoted strings for the rest. Throws on anything
 * else (the server answers 400).
 */
export function parseRunFilter(filter: string): FilterClause[] {
  const tokens: string[] = [];
  for (let position = 0; position < filter.length && !/^\s*$/.test(filter.slice(position)); ) {
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(filter);
    if (!match) throw new Error(`invalid filter ${filter}`);
    tokens.push(match[0].trim());
    position = TOKEN.lastIndex;
  }
  const clauses: FilterClause[] = [];
  for (let i = 0; i < tokens.length; i += 4) {
    const [identifier, comparator, value, joiner] = tokens.slice(i, i + 4);
    if (identifier === undefined || comparator === undefined || value === undefined)
      throw new Error(`invalid filter ${filter}`);
    if (joiner !== undefined && (joiner.toUpperCase() !== 'AND' || i + 4 >= tokens.length))
      throw new Error(`invalid filter ${filter}`);
    clauses.push(clause(identifier, comparator.toUpperCase() as Comparator, value, filter));
  }
  return clauses;
}

function clause(
  identifier: string,
  comparator: Comparator,
  rawValue: string,
  filter: string,
): FilterClause {
  const dot = identifier.indexOf('.');
  const entity = ENTITIES[dot < 0 ? 'attributes' : identifier.slice(0, dot).toLowerCase()];
  if (!entity) throw new Error(`invalid filter ${filter}`);
  const key = unquote(dot < 0 ? identifier : identifier.slice(dot + 1));
  const quoted = /^['"]/.test(rawValue);
  const numeric = entity === 'metrics' || (entity === 'attributes' && NUMERIC_ATTRIBUTES.has(key));
  if (numeric === quoted || (numeric && Number.isNaN(Number(rawValue))))
    throw new Error(`invalid filter ${filter}`);
  return { entity, key, comparator, value: numeric ? Number(rawValue) : unquote(rawValue) };
}

function unquote(text: string): string {
  if (/^(`.*`|".*"|'.*')$/s.test(text)) return text.slice(1, -1).replace(/\\(.)/g, '$1');
  return text;
}

/** Whether `run` passes every clause (a run without the metric, param or tag does not). */
export function matchesRunFilter(run: ReplayRun, clauses: readonly FilterClause[]): boolean {
  return clauses.every((item) => {
    const actual = lookup(run, item.entity, item.key);
    return actual !== undefined && compare(actual, item.comparator, item.value);
  });
}

function lookup(run: ReplayRun, entity: Entity, key: string): string | number | undefined {
  if (entity === 'metrics')
    return latestMetrics(run.metrics).find((metric) => metric.key === key)?.value;
  if (entity === 'params') return run.params.get(key);
  if (entity === 'tags') return run.tags.get(key);
  const value = run.info[key];
  if (value === undefined || value === null) return undefined;
  return NUMERIC_ATTRIBUTES.has(key) ? Number(value) : String(value);
}

function compare(actual: string | number, comparator: Comparator, expected: string | number) {
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
