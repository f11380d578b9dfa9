import { ApiError, type MlflowErrorCode } from '../errors.js';

/** A table as pandas would build it from a request: column names (numbers when none were given) and rows. */
export interface Frame {
  columns: (string | number)[];
  /** One array per row, a value per column (`undefined` where a record lacked the key). */
  rows: unknown[][];
}

/** What MLflow 2.x reads: exactly one of these keys, and `params` beside it. */
const SCORING_FORMATS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'];
const FORMATS_SET = "{'instances', 'dataframe_records', 'dataframe_split', 'inputs'}";

/**
 * A 400 in MLflow's terms (`BAD_REQUEST` unless said otherwise).
 *
 * @example
 * throw scoringError('Model is missing inputs [\'age\']', 'INVALID_PARAMETER_VALUE');
 */
export const scoringError = (message: string, mlflowCode: MlflowErrorCode = 'BAD_REQUEST') =>
  new ApiError({ code: 'VALIDATION_FAILED', message, mlflowCode });

/**
 * Python's name of a JSON value's type, as MLflow's messages say it.
 *
 * @example
 * pythonType([1]); // 'list'
 */
export function pythonType(value: unknown): string {
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'dict';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  return Number.isInteger(value) ? 'int' : 'float';
}

/**
 * Column names (or positions) as Python prints a list of them, at most `max`.
 *
 * @example
 * pythonList(['x1', 0]); // "['x1', 0]"
 */
export function pythonList(items: readonly (string | number)[], max = 20): string {
  const shown = items
    .slice(0, max)
    .map((item) => (typeof item === 'number' ? String(item) : `'${item.slice(0, 64)}'`));
  return `[${shown.join(', ')}${items.length > max ? `, … ${items.length - max} more` : ''}]`;
}

/**
 * The frame a JSON `/invocations` body describes, as MLflow 2.17's scoring server reads it:
 * `dataframe_split` (`columns`, `data`, `index` ignored), `dataframe_records`, `instances` (a
 * list of records) or `inputs` (a list of records, or a dict of columns); a list of lists, which
 * fits only a tensor signature, has positions for columns and fails on them. Throws MLflow's 400s.
 *
 * @example
 * jsonFrame({ dataframe_split: { columns: ['age'], data: [[63]] } }); // { columns: ['age'], rows: [[63]] }
 */
export function jsonFrame(body: unknown): Frame {
  const { key, value } = scoringInput(body);
  if (key === 'dataframe_split') return splitFrame(value);
  if (key === 'dataframe_records') {
    if (!Array.isArray(value)) {
      throw scoringError(
        `Invalid input. Dataframe records format must be a list of records. Got ${value === null || typeof value !== 'object' ? pythonType(value) : 'dictionary'}.`,
      );
    }
    return recordsFrame(value, key);
  }
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((item) => Array.isArray(item))) {
      return { columns: (value[0] as unknown[]).map((_, i) => i), rows: value as unknown[][] };
    }
    return recordsFrame(value, key);
  }
  if (key === 'inputs' && value !== null && typeof value === 'object')
    return columnsFrame(value as Record<string, unknown>);
  throw scoringError(
    `Invalid input. ${key} must be a list of records${key === 'inputs' ? ' or a dictionary of columns' : ''}, got ${pythonType(value)}.`,
  );
}

/**
 * The one input field of a JSON `/invocations` body (`dataframe_split`, `dataframe_records`,
 * `instances` or `inputs`) and its value; MLflow's 400 for a body that is not a dictionary with
 * exactly one of them.
 *
 * @example
 * scoringInput({ inputs: [[1, 2, 3]] }); // { key: 'inputs', value: [[1, 2, 3]] }
 */
export function scoringInput(body: unknown): { key: string; value: unknown } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    const got = Array.isArray(body)
      ? 'Received a list.'
      : `Received unexpected input type '<class '${pythonType(body)}'>'.`;
    throw scoringError(
      `Invalid input. The input must be a JSON dictionary with exactly one of the input fields ${FORMATS_SET}. ${got}`,
    );
  }
  const fields = body as Record<string, unknown>;
  const keys = SCORING_FORMATS.filter((key) => fields[key] !== undefined);
  if (keys.length !== 1) {
    throw scoringError(
      `The input must be a JSON dictionary with exactly one of the input fields ${FORMATS_SET}. Received dictionary with input fields: ${pythonList(keys)}. (MLflow 2.0 changed the scoring protocol: see /docs for the formats.)`,
    );
  }
  const key = keys[0]!;
  return { key, value: fields[key] };
}

function splitFrame(split: unknown): Frame {
  const bad = (why: string) =>
    scoringError(
      `Invalid input. Provided dataframe_split field is not a valid dataframe representation in 'split' format. Error: '${why}'`,
    );
  if (split === null || typeof split !== 'object' || Array.isArray(split))
    throw bad(`expected a dictionary, got ${pythonType(split)}`);
  const { columns, data } = split as { columns?: unknown; data?: unknown };
  if (!Array.isArray(data))
    throw bad(
      data === undefined
        ? 'data is missing'
        : `data must be a list of rows, got ${pythonType(data)}`,
    );
  if (
    columns !== undefined &&
    !(
      Array.isArray(columns) &&
      columns.every((name) => typeof name === 'string' || typeof name === 'number')
    )
  ) {
    throw bad('columns must be a list of names');
  }
  const rows = data as unknown[];
  const names =
    (columns as (string | number)[] | undefined) ??
    (Array.isArray(rows[0]) ? (rows[0] as unknown[]).map((_, i) => i) : []);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!Array.isArray(row)) throw bad(`row ${i} is not a list`);
    if (row.length !== names.length)
      throw bad(`${names.length} columns passed, passed data had ${row.length} columns`);
  }
  return { columns: names, rows: rows as unknown[][] };
}

/**
 * Records → a frame whose columns are every key, in order of first appearance (as pandas does).
 * Each row holds only its record's own keys (a sparse array, absent columns `undefined`): dense
 * rows would hold records × columns cells, billions from a 1 MiB body of one wide record and
 * many empty ones.
 */
function recordsFrame(records: unknown[], key: string): Frame {
  const index = new Map<string, number>();
  const rows = new Array<unknown[]>(records.length);
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw scoringError(
        `Invalid input. ${key} must be a list of records (JSON objects); item ${i} is ${pythonType(record)}.`,
      );
    }
    const row: unknown[] = [];
    for (const name in record) {
      let at = index.get(name);
      if (at === undefined) {
        at = index.size;
        index.set(name, at);
      }
      row[at] = (record as Record<string, unknown>)[name];
    }
    rows[i] = row;
  }
  return { columns: [...index.keys()], rows };
}

/** `{"inputs": {"age": [63, 41], …}}`: every value a list, all of one length. */
function columnsFrame(columns: Record<string, unknown>): Frame {
  const names = Object.keys(columns);
  const lists = names.map((name) => columns[name]);
  const length = Array.isArray(lists[0]) ? lists[0].length : 0;
  lists.forEach((list, i) => {
    if (!Array.isArray(list) || list.length !== length) {
      throw scoringError(
        `Invalid input. inputs as a dictionary of columns needs a list of ${length} values for every column; ${names[i]!.slice(0, 64)} has ${Array.isArray(list) ? list.length : pythonType(list)}.`,
      );
    }
  });
  const rows = Array.from({ length }, (_, row) => lists.map((list) => (list as unknown[])[row]));
  return { columns: names, rows };
}
