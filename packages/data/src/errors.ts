import { HeartError } from '@heart/internal';

/** The closed set of reasons a @heart/data call can fail. */
export type DataErrorCode =
  /** An option has a wrong type or value (for example an unknown site). */
  | 'INVALID_OPTION'
  /** The server answered with a status that will not get better by retrying (404, 403 …). */
  | 'HTTP_ERROR'
  /** Every attempt failed with a transient error (connection, timeout, 5xx, 429, truncated body). */
  | 'DOWNLOAD_FAILED'
  /** The bytes received do not have the expected sha256. */
  | 'CHECKSUM_MISMATCH'
  /** The download is larger than `maxBytes` (checked while streaming, after decompression). */
  | 'TOO_LARGE'
  /** The cache cannot be written (disk full, read-only, no permission); the message says what to do. */
  | 'WRITE_FAILED'
  /** A local file named by a path or `file:` URL does not exist or cannot be read. */
  | 'FILE_NOT_FOUND'
  /** The file holds no data rows. */
  | 'EMPTY_FILE'
  /** The file is not valid UCI Heart Disease data; `issues` lists every problem. */
  | 'INVALID_DATA';

/** One problem found in a data file: where it is and what is wrong. */
export interface DataIssue {
  /** File name (or `<input>` for in-memory text). */
  file: string;
  /** 1-based line number in the file. */
  line: number;
  /** Column name, when the problem belongs to one column. */
  column?: string;
  /** The offending raw value, when there is one. */
  value?: string;
  /** What is wrong, in words. */
  message: string;
}

/** Options for {@link DataError}. */
export interface DataErrorOptions {
  code: DataErrorCode;
  message: string;
  cause?: unknown;
  /** Every problem found, for `INVALID_DATA`. */
  issues?: readonly DataIssue[];
  /** The URL or path the error is about. */
  source?: string;
}

/**
 * The one error class of @heart/data. `code` is stable and closed; `message` names the file, line,
 * column or URL at fault.
 *
 * @example
 * ```ts
 * try {
 *   await loadDataset('data/raw/processed.cleveland.data');
 * } catch (error) {
 *   if (error instanceof DataError && error.code === 'INVALID_DATA') console.error(error.issues);
 * }
 * ```
 */
export class DataError extends HeartError<DataErrorCode> {
  override readonly name = 'DataError';
  readonly issues: readonly DataIssue[];
  readonly source: string | undefined;

  constructor({ code, message, cause, issues = [], source }: DataErrorOptions) {
    super({ code, message, cause });
    this.issues = issues;
    this.source = source;
  }
}

/** `FILE_NOT_FOUND` for a local file that cannot be read, naming it and the system's reason. */
export function cannotRead(path: string, error: unknown): DataError {
  return new DataError({
    code: 'FILE_NOT_FOUND',
    message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    cause: error,
    source: path,
  });
}
