import { HeartError } from '@heart/internal';

/**
 * Error codes: MLflow's own `error_code`s (as a server answers them) and the client's.
 * The HTTP status of each MLflow code follows MLflow (SPEC §3.5).
 */
export type MlflowErrorCode =
  | 'INVALID_PARAMETER_VALUE'
  | 'RESOURCE_ALREADY_EXISTS'
  | 'RESOURCE_DOES_NOT_EXIST'
  | 'BAD_REQUEST'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'RESOURCE_CONFLICT'
  | 'REQUEST_LIMIT_EXCEEDED'
  | 'INTERNAL_ERROR'
  | 'INVALID_STATE'
  | 'TEMPORARILY_UNAVAILABLE'
  | 'ENDPOINT_NOT_FOUND'
  /** A file-store file MLflow itself could not read (the UI would answer HTTP 500). */
  | 'CORRUPT_STORE'
  /** A tracking URI or artifact URI scheme this client cannot use. */
  | 'UNSUPPORTED_URI'
  /** The server could not be reached, or did not answer in time, after every retry. */
  | 'NETWORK_ERROR'
  /** The server answered something that is not MLflow's JSON (an HTML error page, say). */
  | 'UNEXPECTED_RESPONSE';

/** Options for {@link MlflowError}. */
export interface MlflowErrorOptions {
  code: MlflowErrorCode | (string & {});
  message: string;
  cause?: unknown;
  /** HTTP status, for errors from a server. */
  status?: number;
  /** The REST endpoint (`runs/log-batch`) or file the error is about. */
  endpoint?: string;
}

/**
 * The one error class of @heart/mlflow. `code` is MLflow's `error_code` when the tracking backend
 * said so, or a client code; `status` and `endpoint` say where it came from.
 *
 * @example
 * ```ts
 * try { await client.createExperiment('heart'); }
 * catch (error) { if (error instanceof MlflowError && error.code === 'RESOURCE_ALREADY_EXISTS') … }
 * ```
 */
export class MlflowError extends HeartError<MlflowErrorCode | (string & {})> {
  override readonly name = 'MlflowError';
  readonly status: number | undefined;
  readonly endpoint: string | undefined;

  constructor({ code, message, cause, status, endpoint }: MlflowErrorOptions) {
    super({ code, message, cause });
    this.status = status;
    this.endpoint = endpoint;
  }
}

/** Shorthand for the most common client-side error. */
export function invalidParameter(message: string): MlflowError {
  return new MlflowError({ code: 'INVALID_PARAMETER_VALUE', message, status: 400 });
}

/** Shorthand for MLflow's 404: `RESOURCE_DOES_NOT_EXIST`. */
export function notFound(message: string): MlflowError {
  return new MlflowError({ code: 'RESOURCE_DOES_NOT_EXIST', status: 404, message });
}
