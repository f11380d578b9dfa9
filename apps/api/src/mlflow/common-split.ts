import { type Columns, type RowsText, readRows, rowsText } from '../columns.js';
import {
  type Literal,
  literal,
  literalOf,
  type Spacing,
  spellingFor,
  value,
} from '../http/json-bytes.js';
import type { Validators } from '../validators.js';

/** The fixed text of a `dataframe_split` body in one spacing. */
interface Spelling {
  comma: Literal;
  /** `{"dataframe_split":{` */
  open: Literal;
  /** `"index":[` */
  index: Literal;
  /** `"columns":["age",…,"thal"],"data":[[` — the schema's columns in order. */
  columns: Literal;
  /** Per row: a comma between two values, `],[` between two rows, `]]}}` at the end. */
  rows: RowsText;
}

const CLOSE_ARRAY = 0x5d;

function spelling(names: readonly string[], { comma, colon }: Spacing): Spelling {
  const text = (...parts: string[]) => literalOf(parts.join(''));
  const list = names.map((name) => JSON.stringify(name)).join(comma);
  return {
    comma: text(comma),
    open: text('{"dataframe_split"', colon, '{'),
    index: text('"index"', colon, '['),
    columns: text('"columns"', colon, '[', list, ']', comma, '"data"', colon, '[['),
    rows: rowsText(
      names.map((_, i) => text(i === 0 ? '' : comma)),
      text(']', comma, '['),
      text(']]}}'),
    ),
  };
}

const spellings = new WeakMap<readonly string[], [Spelling, Spelling] | undefined>();

/** Past an `index` list's values (numbers, as pandas writes row labels) and its `]`. */
function index(b: Buffer, at: number, s: Spelling): number {
  if (b[at] === CLOSE_ARRAY) return at + 1;
  for (;;) {
    at = value(b, at);
    if (at < 0 || b[at] === CLOSE_ARRAY) return at < 0 ? -1 : at + 1;
    at = literal(b, at, s.comma);
  }
}

/**
 * The `/invocations` body clients send most, read straight from its bytes:
 * `{"dataframe_split": {"columns": [...], "data": [[...], ...]}}` with the schema's columns in
 * schema order, numbers or `null` in the rows, an optional numeric `index` first (as pandas'
 * `to_dict(orient="split")` writes it), spaced as `JSON.stringify` or as Python's `json.dumps`
 * do. The rows must also pass the input schema (`validators.columns`).
 *
 * Anything else — `params`, other formats, keys or spacing, strings or booleans in cells, a value
 * the schema refuses, malformed JSON — is `undefined`: the caller then parses the body and builds
 * its frame as it always has. Where this answers, it answers what they would (tested against them
 * on every prefix and one-byte change of its bodies). One row: ~0.6 µs against 3.0 µs for
 * JSON.parse, the frame and the checks. The rows are {@link Columns} in the shared buffer.
 *
 * @example
 * readCommonSplit(Buffer.from('{"dataframe_split":{"columns":["age",…],"data":[[63,…]]}}'), validators);
 * // { count: 1, stride: 8, values: Float64Array [63, …] }
 */
export function readCommonSplit(b: Buffer, v: Validators): Columns | undefined {
  if (!v.columns || b[0] !== 0x7b) return;
  // `{"dataframe_split"` and its colon: a space after it says the spacing.
  const s = spellingFor(spellings, v.names, spelling, b, 19);
  if (!s) return;
  let at = literal(b, 0, s.open);
  const listed = literal(b, at, s.index);
  if (listed >= 0) at = literal(b, index(b, listed, s), s.comma);
  return readRows(b, literal(b, at, s.columns), s.rows, v);
}
