/** Ways clients write the same JSON, and every small change of a body, for the readers' tests. */

/** JSON with the sign of zero kept, so that -0 and 0 do not compare equal. */
export const signedJson = (value: unknown): string =>
  JSON.stringify(value, (_, v) => (Object.is(v, -0) ? '-0' : v));

/** As Python's `json.dumps` writes it by default (`", "` and `": "`), as Python clients send it. */
export function pythonDumps(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonDumps).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const pairs = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonDumps(v)}`);
    return `{${pairs.join(', ')}}`;
  }
  return JSON.stringify(value);
}

const REPLACEMENTS = Buffer.from(' \t"\\,:[]{}0159.-+eEnulx\u007f\u0000');

/**
 * Every prefix of each text, and every change of one byte (dropped, or replaced by a byte that
 * matters to JSON): what `verdict` says of each — false (wrong), true (read), undefined (left).
 * Returns the first few wrong ones and how many were read.
 */
export function everyByteChange(
  texts: string[],
  verdict: (bytes: Buffer) => boolean | undefined,
): { wrong: string[]; read: number } {
  const wrong: string[] = [];
  let read = 0;
  const check = (bytes: Buffer) => {
    const answer = verdict(bytes);
    if (answer === false && wrong.length < 5) wrong.push(bytes.toString('latin1').slice(0, 160));
    if (answer) read++;
  };
  for (const text of texts) {
    const bytes = Buffer.from(text);
    for (let end = 0; end < bytes.length; end++) check(bytes.subarray(0, end));
    for (let at = 0; at < bytes.length; at++) {
      check(Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]));
      for (const byte of REPLACEMENTS) {
        const changed = Buffer.from(bytes);
        changed[at] = byte;
        check(changed);
      }
    }
  }
  return { wrong, read };
}
