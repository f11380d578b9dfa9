/** What a column's values may be (the shape of `COLUMN_SPECS` entries and of a CSV schema's). */
export interface ValueDomain {
  kind: 'categorical' | 'numeric';
  /** Allowed codes of a categorical column. */
  values?: readonly number[];
  /** Inclusive bounds of a numeric column (either may be absent: unbounded). */
  min?: number;
  max?: number;
  nullable: boolean;
  /** A zero means "not measured". */
  zeroIsMissing?: boolean;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** `?` (processed files), empty (header CSV), `NaN`, and `-9` (the raw files' code, per the names file). */
export function isMissingToken(token: string): boolean {
  return (
    token === '' || token === '?' || token.toLowerCase() === 'nan' || /^-9(?:\.0*)?$/.test(token)
  );
}

/** A parsed number checked against the domain: the value, `null` (missing) or what is wrong. */
export function checkValue(domain: ValueDomain, value: number): number | null | string {
  if (domain.zeroIsMissing && value === 0)
    return domain.nullable ? null : 'missing value in a required column';
  if (domain.kind === 'categorical') {
    if (!domain.values!.includes(value)) return `not one of ${domain.values!.join(', ')}`;
  } else if (
    (domain.min !== undefined && value < domain.min) ||
    (domain.max !== undefined && value > domain.max)
  ) {
    return `outside ${domain.min ?? '-∞'}..${domain.max ?? '∞'}`;
  }
  return value;
}

/** A token read against the domain: the value, `null` when missing, or what is wrong. */
export function readValue(domain: ValueDomain, token: string): number | null | string {
  if (isMissingToken(token)) return domain.nullable ? null : 'missing value in a required column';
  if (!NUMBER.test(token)) return 'not a number';
  return checkValue(domain, Number(token));
}
