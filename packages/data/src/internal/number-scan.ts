/** Powers of ten up to 10^22: all exact in float64. */
const POWERS = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The number in `text[start, end)` if it has the form `[+-]digits[.digits][e[+-]digits]` (also
 * `.5`, `5.`), else NaN — the grammar of the sync parser's NUMBER test, without a substring or a
 * regular expression. The value is exactly `Number(token)`: a mantissa below 2^53 scaled by an
 * exact power of ten is one correctly rounded operation; anything longer goes to `Number`.
 */
export function scanNumber(text: string, start: number, end: number): number {
  let i = start;
  let negative = false;
  const sign = text.charCodeAt(i);
  if (sign === 43 || sign === 45) {
    negative = sign === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let code = text.charCodeAt(i);
  for (; i < end && code >= 48 && code <= 57; code = text.charCodeAt(++i)) {
    mantissa = mantissa * 10 + (code - 48);
    digits++;
  }
  let fraction = 0;
  if (i < end && code === 46) {
    for (
      code = text.charCodeAt(++i);
      i < end && code >= 48 && code <= 57;
      code = text.charCodeAt(++i)
    ) {
      mantissa = mantissa * 10 + (code - 48);
      fraction++;
    }
    scale = -fraction;
  }
  if (digits + fraction === 0) return Number.NaN;
  if (i < end && (code === 101 || code === 69)) {
    let j = i + 1;
    const expSign = text.charCodeAt(j);
    if (expSign === 43 || expSign === 45) j++;
    const first = j;
    while (j < end && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
    if (j === first || j !== end) return Number.NaN;
    i = end;
    scale = Number.NaN; // rare: let Number read it
  }
  if (i !== end) return Number.NaN;
  if (mantissa < 2 ** 53 && scale >= -22 && scale <= 0) {
    const value = scale === 0 ? mantissa : mantissa / POWERS[-scale]!;
    return negative ? -value : value;
  }
  return Number(text.slice(start, end));
}

/** Whether `text[start, end)` is `-9`, `-9.` or `-9.0…`: the raw files' code for missing. */
export function isMinusNine(text: string, start: number, end: number): boolean {
  if (end - start < 2 || text.charCodeAt(start) !== 45 || text.charCodeAt(start + 1) !== 57)
    return false;
  if (end - start === 2) return true;
  if (text.charCodeAt(start + 2) !== 46) return false;
  for (let i = start + 3; i < end; i++) if (text.charCodeAt(i) !== 48) return false;
  return true;
}
