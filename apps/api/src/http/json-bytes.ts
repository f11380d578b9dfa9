/**
 * Readers of JSON straight from a body's bytes, for the routes that read their common request
 * form without JSON.parse (oip/common-infer.ts, mlflow/common-split.ts, routes/batch-columns.ts). Each takes (bytes, position) and returns the position
 * past what it read, or -1 where the bytes are not what it reads — and passes a -1 it is given on,
 * so that calls chain. A reader's second answer is in {@link last} (the readers are synchronous):
 * nothing is allocated per value. A reader gets its literals from {@link spellingFor} once per
 * body, which also makes the body the one {@link literal} compares against.
 */

/** A literal text, and its whole 32-bit little-endian words (compared four bytes at a time). */
export interface Literal {
  length: number;
  words: Uint32Array;
  bytes: Buffer;
}

/**
 * The second answers of the readers: the number read last (`NaN` for `null`, which JSON numbers
 * never are — a field that holds only doubles, so that storing one allocates nothing), the whole
 * number and where the string read last starts.
 */
export const last = { number: 0, count: 0, stringStart: 0 };

const QUOTE = 0x22;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const BACKSLASH = 0x5c;
/** Longest number converted from its text (a longer one is not read). */
const LONGEST_NUMBER = 64;
/** 10^0 … 10^15, each exact in a double (literals: no `**` rounding). */
const POWERS = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** `text` (ASCII) as a {@link Literal}. */
export function literalOf(text: string): Literal {
  const bytes = Buffer.from(text, 'latin1');
  const words = new Uint32Array(bytes.length >> 2);
  for (let i = 0; i < words.length; i++) words[i] = bytes.readUInt32LE(4 * i);
  return { length: bytes.length, words, bytes };
}

/** A JSON encoder's separators: none (`JSON.stringify`, orjson) or Python `json.dumps`' default. */
export interface Spacing {
  comma: string;
  colon: string;
}

const COMPACT: Spacing = { comma: ',', colon: ':' };
const SPACED: Spacing = { comma: ', ', colon: ': ' };

/** Names JSON writes as they are between quotes (printable ASCII, no `"` or `\`). */
const plain = (names: readonly string[]) =>
  names.every((name) => /^[\x20-\x7e]*$/.test(name) && !/["\\]/.test(name));

/**
 * The literals a reader compares body `b` with, and `b` made the body {@link literal} reads: built
 * once per list of (schema) names by `build`, in both spacings, the spaced ones when `b` has a
 * space at `spaceAt` (just after its first key's colon). Undefined where there are no names, a
 * name needs escapes (read by JSON.parse only), or `b` is shorter than `spaceAt`.
 */
export function spellingFor<T>(
  cache: WeakMap<readonly string[], [T, T] | undefined>,
  names: readonly string[],
  build: (names: readonly string[], spacing: Spacing) => T,
  b: Buffer,
  spaceAt: number,
): T | undefined {
  if (names.length === 0 || b[spaceAt] === undefined) return undefined;
  if (!cache.has(names)) {
    cache.set(names, plain(names) ? [build(names, COMPACT), build(names, SPACED)] : undefined);
  }
  const both = cache.get(names);
  if (!both) return undefined;
  startReading(b);
  return both[b[spaceAt] === 0x20 ? 1 : 0];
}

/** The body's memory as 32-bit words, and where the body starts in it. */
let view: DataView = new DataView(new ArrayBuffer(0));
let base = 0;

/** Makes `b` the body {@link literal} compares against. */
function startReading(b: Buffer): void {
  // Bodies joined from chunks share Buffer's pool: one view of it serves them all.
  if (view.buffer !== b.buffer) view = new DataView(b.buffer);
  base = b.byteOffset;
}

/** Past `text` at `at`: four bytes at a time, then the rest (Buffer#compare costs ~80 ns a call). */
export function literal(b: Buffer, at: number, text: Literal): number {
  const end = at + text.length;
  if (at < 0 || end > b.length) return -1;
  const { words, bytes } = text;
  let i = 0;
  for (; i < words.length; i++) if (view.getUint32(base + at + 4 * i, true) !== words[i]) return -1;
  for (let j = 4 * i; j < text.length; j++) if (b[at + j] !== bytes[j]) return -1;
  return end;
}

/** Past a count (into `last.count`): 1 to 9 digits, no leading zero — so never 0. */
export function count(b: Buffer, at: number): number {
  if (at < 0) return -1;
  const first = at;
  let size = 0;
  for (let c = b[at]!; c >= ZERO && c <= NINE; c = b[++at]!) size = size * 10 + (c - ZERO);
  if (at === first || at - first > 9 || b[first] === ZERO) return -1;
  last.count = size;
  return at;
}

/** Past a string's characters and its closing quote (from `last.stringStart`): printable ASCII, no escapes. */
export function characters(b: Buffer, at: number): number {
  if (at < 0) return -1;
  last.stringStart = at;
  for (let c = b[at]; c !== QUOTE; c = b[++at]) {
    if (c === undefined || c < 0x20 || c > 0x7e || c === BACKSLASH) return -1;
  }
  return at + 1;
}

/** Past digits from `at` (none: `at`). */
function digitsFrom(b: Buffer, at: number): number {
  for (let c = b[at]; c !== undefined && c >= ZERO && c <= NINE; c = b[++at]);
  return at;
}

/**
 * Past a JSON number or `null` (into `last.number`, `NaN` for null), as JSON.parse reads it: up to 15
 * digits as one exact integer over an exact power of ten (a single correctly rounded division,
 * Clinger's fast path), anything longer or with an exponent converted from its text by `Number`.
 */
export function value(b: Buffer, at: number): number {
  if (at < 0) return -1;
  const start = at;
  let c = b[at];
  if (c === 0x6e) {
    if (b[at + 1] !== 0x75 || b[at + 2] !== 0x6c || b[at + 3] !== 0x6c) return -1;
    last.number = Number.NaN;
    return at + 4;
  }
  const negative = c === MINUS;
  if (negative) c = b[++at];
  let mantissa = 0;
  let digits = 0;
  if (c === ZERO) c = b[++at];
  else {
    const first = at;
    for (; c !== undefined && c >= ZERO && c <= NINE; c = b[++at])
      mantissa = mantissa * 10 + (c - ZERO);
    digits = at - first;
    if (digits === 0) return -1;
  }
  let scale = 0;
  if (c === DOT) {
    const first = ++at;
    for (c = b[at]; c !== undefined && c >= ZERO && c <= NINE; c = b[++at])
      mantissa = mantissa * 10 + (c - ZERO);
    scale = at - first;
    if (scale === 0) return -1;
    digits += scale;
  }
  let exact = digits <= 15;
  if (c === 0x65 || c === 0x45) {
    c = b[++at];
    if (c === 0x2b || c === MINUS) at++;
    const first = at;
    at = digitsFrom(b, at);
    if (at === first) return -1;
    exact = false;
  }
  if (exact) last.number = negative ? -(mantissa / POWERS[scale]!) : mantissa / POWERS[scale]!;
  else if (at - start > LONGEST_NUMBER) return -1;
  else last.number = Number(b.toString('latin1', start, at));
  return at;
}
