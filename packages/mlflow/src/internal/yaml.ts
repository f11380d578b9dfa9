import { parse } from 'yaml';

/**
 * Emits YAML the way MLflow's writer (PyYAML `safe_dump`, block style, `allow_unicode`) does:
 * mappings with sorted keys (unless told otherwise), sequences under a key not indented, plain
 * scalars where PyYAML would leave them plain, else single-quoted (`'` doubled), or double-quoted
 * when they hold line breaks or control characters.
 */
export function toYaml(value: unknown, options: { sortKeys?: boolean } = {}): string {
  const sortKeys = options.sortKeys ?? true;
  const lines: string[] = [];
  emit(value, 0, lines, sortKeys);
  return `${lines.join('\n')}\n`;
}

function emit(value: unknown, indent: number, lines: string[], sortKeys: boolean): void {
  const pad = ' '.repeat(indent);
  if (isMapping(value)) {
    const keys = Object.keys(value).filter((key) => value[key] !== undefined);
    if (sortKeys) keys.sort();
    for (const key of keys) {
      const item = value[key];
      const label = `${pad}${scalar(key)}:`;
      if (isMapping(item) && Object.keys(item).length > 0) {
        lines.push(label);
        emit(item, indent + 2, lines, sortKeys);
      } else if (Array.isArray(item) && item.length > 0) {
        lines.push(label);
        emit(item, indent, lines, sortKeys);
      } else {
        lines.push(`${label} ${inline(item)}`);
      }
    }
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      if (
        (isMapping(item) && Object.keys(item).length > 0) ||
        (Array.isArray(item) && item.length > 0)
      ) {
        const nested: string[] = [];
        emit(item, indent + 2, nested, sortKeys);
        nested[0] = `${pad}- ${nested[0]!.slice(indent + 2)}`;
        lines.push(...nested);
      } else {
        lines.push(`${pad}- ${inline(item)}`);
      }
    }
    return;
  }
  lines.push(`${pad}${inline(value)}`);
}

function inline(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return '[]';
  if (isMapping(value)) return '{}';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan';
    if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
    return String(value);
  }
  return scalar(String(value));
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Strings YAML 1.1 (PyYAML's resolver) would read as something else: booleans, null, numbers, dates. */
const RESOLVES_TO_OTHER =
  /^(?:yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL|[-+]?(?:0b[01_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)|[-+]?(?:[0-9][0-9_]*)?\.[0-9.]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|\d{4}-\d\d?-\d\d?(?:[Tt ].*)?|<<|=)$/;

function scalar(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters force double quotes, as in PyYAML
  if (/[\u0000-\u0008\u000a-\u001f\u007f\u0085\u2028\u2029]/.test(text))
    return JSON.stringify(text);
  const plain =
    text !== '' &&
    !RESOLVES_TO_OTHER.test(text) &&
    !/^[\s#,[\]{}&*!|>'"%@`]/.test(text) &&
    !/^[-?:](?:\s|$)/.test(text) &&
    !/^(?:---|\.\.\.)/.test(text) &&
    !/:(?:\s|$)/.test(text) &&
    !/\s#/.test(text) &&
    !/\s$/.test(text) &&
    !text.includes('\t');
  return plain ? text : `'${text.replaceAll("'", "''")}'`;
}

/** Plain words YAML 1.1 reads as booleans or null, not as strings. */
const YAML11_WORDS =
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$/;

/**
 * The fast path of {@link parseYaml} for the flat mappings MLflow and heart write as `meta.yaml`
 * (one `key: value` line each; values `''`, single-quoted, `null`, `[]`, a safe integer, a run id
 * or a plain word such as `root` or `file:///…/artifacts`): the same result as the YAML 1.1 parser,
 * some ten times faster. `undefined` for anything else, which then goes to the parser.
 */
export function parseFlatMapping(text: string): Record<string, unknown> | undefined {
  if (!text.endsWith('\n')) return undefined;
  const out: Record<string, unknown> = {};
  for (const line of text.slice(0, -1).split('\n')) {
    const match = /^([a-z_]+): (.*)$/.exec(line);
    if (!match || match[1]! in out) return undefined;
    const raw = match[2]!;
    let value: unknown;
    if (/^'(?:[^'\n]|'')*'$/.test(raw)) value = raw.slice(1, -1).replaceAll("''", "'");
    else if (raw === 'null') value = null;
    else if (raw === '[]') value = [];
    else if (/^(?:0|[1-9]\d{0,14})$/.test(raw)) value = Number(raw);
    else if (/^[A-Za-z_/][\w./:+-]*$/.test(raw) && !raw.endsWith(':') && !YAML11_WORDS.test(raw))
      value = raw;
    // A run id: 32 hex digits, a letter among them and not `<digits>e<digits>` (a float).
    else if (/^[0-9a-f]{32}$/.test(raw) && /[a-f]/.test(raw) && !/^\d*e\d+$/.test(raw)) value = raw;
    else return undefined;
    out[match[1]!] = value;
  }
  return out;
}

/**
 * Parses YAML with the YAML 1.1 rules MLflow's reader (PyYAML) applies. Integers beyond 2^53
 * (an unquoted 18-digit experiment id) stay exact as `bigint`; the others are numbers.
 */
export function parseYaml(text: string): unknown {
  return numbersWhereSafe(parse(text, { schema: 'yaml-1.1', intAsBigInt: true }));
}

function numbersWhereSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (Array.isArray(value)) return value.map(numbersWhereSafe);
  if (isMapping(value))
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, numbersWhereSafe(item)]),
    );
  return value;
}
