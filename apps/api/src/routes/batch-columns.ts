import { type Columns, type RowsText, readRows, rowsText } from '../columns.js';
import { type Literal, literal, literalOf, type Spacing, spellingFor } from '../http/json-bytes.js';
import type { Validators } from '../validators.js';

/** The fixed text of a `/predict/batch` body in one spacing. */
interface Spelling {
  /** `{"rows":[` */
  open: Literal;
  /** Per row: `{"age":`, `,"sex":` … before each value, `},` between two rows, `}]}` at the end. */
  rows: RowsText;
}

function spelling(names: readonly string[], { comma, colon }: Spacing): Spelling {
  const keys = names.map((name, i) =>
    literalOf(`${i === 0 ? '{' : comma}${JSON.stringify(name)}${colon}`),
  );
  return {
    open: literalOf(`{"rows"${colon}[`),
    rows: rowsText(keys, literalOf(`}${comma}`), literalOf('}]}')),
  };
}

const spellings = new WeakMap<readonly string[], [Spelling, Spelling] | undefined>();

/**
 * The `/predict/batch` body clients send most, read straight from its bytes into columns:
 * `{"rows": [...]}` whose every row has the schema's fields in schema order, each a number or
 * `null`, spaced as `JSON.stringify` or as Python's `json.dumps` do — as {@link Columns} (`NaN`
 * for null), no record per row (storing 1,300 values into records cost what JSON.parse
 * spends). The rows must fit the schema (`validators.columns`). Anything else — fields left out or
 * in another order, other keys or spacing, a value the schema refuses, malformed JSON — is
 * `undefined`: the route then parses the body and checks it as it always has, with the same
 * answer (tested on every prefix and one-byte change of its bodies).
 *
 * @example
 * readBatchColumns(Buffer.from('{"rows":[{"age":63,"sex":1,…,"thal":6}]}'), validators);
 * // { count: 1, stride: 1, values: Float64Array [63, 1, …, 6] }
 */
export function readBatchColumns(b: Buffer, v: Validators): Columns | undefined {
  if (!v.columns || b[0] !== 0x7b) return;
  // `{"rows"` and its colon: a space after it says the spacing.
  const s = spellingFor(spellings, v.names, spelling, b, 8);
  if (!s) return;
  return readRows(b, literal(b, 0, s.open), s.rows, v);
}
