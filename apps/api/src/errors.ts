/** Every error the API answers with, and its HTTP status: the one place codes map to statuses. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  BATCH_TOO_LARGE: 400,
  /** An HTTP message Node's parser refused (bad request line, header, chunk…). */
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  /** The headers or the body did not arrive within the server's timeouts. */
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  HEADERS_TOO_LARGE: 431,
  MODEL_NOT_READY: 503,
  INTERNAL: 500,
} as const;

/** The `error_code` of MLflow's scoring protocol that each code answers with on `/invocations`. */
export const MLFLOW_ERROR_CODE: Record<ApiErrorCode, MlflowErrorCode> = {
  VALIDATION_FAILED: 'INVALID_PARAMETER_VALUE',
  MALFORMED_JSON: 'BAD_REQUEST',
  BATCH_TOO_LARGE: 'INVALID_PARAMETER_VALUE',
  BAD_REQUEST: 'BAD_REQUEST',
  NOT_FOUND: 'ENDPOINT_NOT_FOUND',
  METHOD_NOT_ALLOWED: 'BAD_REQUEST',
  REQUEST_TIMEOUT: 'BAD_REQUEST',
  PAYLOAD_TOO_LARGE: 'RESOURCE_LIMIT_EXCEEDED',
  UNSUPPORTED_MEDIA_TYPE: 'BAD_REQUEST',
  HEADERS_TOO_LARGE: 'RESOURCE_LIMIT_EXCEEDED',
  MODEL_NOT_READY: 'TEMPORARILY_UNAVAILABLE',
  INTERNAL: 'INTERNAL_ERROR',
};

/** MLflow's error codes (`databricks.ErrorCode`) the scoring routes answer with. */
export type MlflowErrorCode =
  | 'BAD_REQUEST'
  | 'INVALID_PARAMETER_VALUE'
  | 'ENDPOINT_NOT_FOUND'
  | 'RESOURCE_LIMIT_EXCEEDED'
  | 'TEMPORARILY_UNAVAILABLE'
  | 'INTERNAL_ERROR';

/** Most problems an error lists; the rest are counted (`omitted`). */
export const MAX_LISTED_PROBLEMS = 20;

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
  /** At most {@link MAX_LISTED_PROBLEMS} bad fields. */
  details?: FieldProblem[] | undefined;
  /** How many more problems there were than `details` lists. */
  omitted?: number | undefined;
  /** On `/invocations`: the MLflow `error_code`, when not the code's usual one. */
  mlflowCode?: MlflowErrorCode | undefined;
}

/** An error the handlers throw; the responder turns it into `{ error, message, details? }`. */
export class ApiError extends Error implements ApiProblem {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly details: FieldProblem[] | undefined;
  readonly omitted: number | undefined;
  readonly mlflowCode: MlflowErrorCode | undefined;

  constructor({
    code,
    message,
    details,
    omitted,
    mlflowCode,
    cause,
  }: ApiProblem & { cause?: unknown }) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.details = details;
    this.omitted = omitted;
    this.mlflowCode = mlflowCode;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
