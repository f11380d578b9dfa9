/** Every error the API answers with, and its HTTP status: the one place codes map to statuses. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  BATCH_TOO_LARGE: 400,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  MODEL_NOT_READY: 503,
  INTERNAL: 500,
} as const;

export type ApiErrorCode = keyof typeof ERROR_STATUS;

/** One bad field of a request: where, what is wrong, and what is allowed. */
export interface FieldProblem {
  /** JSON pointer style path: `age`, `rows/3/cp`. */
  field: string;
  message: string;
  allowed?: unknown;
}

/**
 * What goes wrong with a request, as the client is told: the code (hence the status), a message
 * naming what is at fault, and for bad fields every one of them. An {@link ApiError} is one.
 */
export interface ApiProblem {
  code: ApiErrorCode;
  message: string;
  details?: FieldProblem[] | undefined;
}

/** An error the handlers throw; the responder turns it into `{ error, message, details? }`. */
export class ApiError extends Error implements ApiProblem {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly details: FieldProblem[] | undefined;

  constructor({
    code,
    message,
    details,
    cause,
  }: { code: ApiErrorCode; message: string; details?: FieldProblem[]; cause?: unknown }) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
