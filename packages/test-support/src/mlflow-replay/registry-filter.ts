/** One `identifier op value` clause of a registry search. */
interface RegistryClause {
  tag: boolean;
  key: string;
  comparator: string;
  value: string | number | string[];
}

const CLAUSE =
  /^\s*((?:tags?|attribute)\.)?(`[^`]+`|"[^"]+"|[\w.-]+)\s*(!=|>=|<=|=|>|<|ILIKE\b|LIKE\b|IN\b)\s*('(?:[^']|'')*'|"[^"]*"|-?\d+|\((?:\s*'[^']*'\s*,?)*\))\s*$/is;

/**
 * Parses a registry filter as the replay server needs it: `name`, `run_id`, `source_path`,
 * `version_number` and `tags.<key>` clauses joined by `AND`. `undefined` for anything else (the
 * server answers "Invalid clause(s) in filter string").
 */
export function parseRegistryFilter(filter: string): RegistryClause[] | undefined {
  if (filter.trim() === '') return [];
  const clauses: RegistryClause[] = [];
  for (const part of filter.split(/\s+AND\s+/i)) {
    const match = CLAUSE.exec(part);
    if (!match) return undefined;
    const [, prefix, rawKey, comparator, rawValue] = match as unknown as string[];
    const tag = prefix?.toLowerCase().startsWith('tag') === true;
    const key = rawKey!.replace(/^[`"]|[`"]$/g, '');
    let value: RegistryClause['value'];
    if (rawValue!.startsWith('(')) value = [...rawValue!.matchAll(/'([^']*)'/g)].map((m) => m[1]!);
    else if (/^['"]/.test(rawValue!)) value = rawValue!.slice(1, -1).replaceAll("''", "'");
    else value = Number(rawValue);
    clauses.push({ tag, key, comparator: comparator!.toUpperCase(), value });
  }
  return clauses;
}

/** Whether an entity with these attributes and tags passes every clause. */
export function matchesRegistryFilter(
  attributes: Record<string, string | number | undefined>,
  tags: Map<string, string>,
  clauses: readonly RegistryClause[],
): boolean {
  return clauses.every((clause) => {
    const actual = clause.tag ? tags.get(clause.key) : attributes[clause.key];
    if (actual === undefined) return false;
    const expected = clause.value;
    if (Array.isArray(expected)) return expected.includes(String(actual));
    const left = typeof expected === 'number' ? Number(actual) : String(actual);
    switch (clause.comparator) {
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
        return new RegExp(`^${pattern}$`, clause.comparator === 'ILIKE' ? 'is' : 's').test(
          String(left),
        );
      }
    }
  });
}

/** Sorts by `order_by` clauses (`name DESC`), then `ties`; `value` reads an attribute. */
export function sortBy<T>(
  items: readonly T[],
  orderBy: readonly string[],
  ties: readonly string[],
  value: (item: T, key: string) => string | number,
): T[] {
  const keys = [...orderBy, ...ties].map((clause) => {
    const [key = '', direction = 'ASC'] = clause
      .trim()
      .replace(/^attribute\./, '')
      .split(/\s+/);
    return { key, ascending: direction.toUpperCase() !== 'DESC' };
  });
  return [...items].sort((a, b) => {
    for (const { key, ascending } of keys) {
      const left = value(a, key);
      const right = value(b, key);
      if (left !== right) return (left < right ? -1 : 1) * (ascending ? 1 : -1);
    }
    return 0;
  });
}
