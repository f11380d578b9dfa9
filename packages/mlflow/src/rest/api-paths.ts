/** The tracking API below the server URL. */
export const API = '/api/2.0/mlflow';
/** The artifact proxy (`mlflow server --serve-artifacts`) below the server URL. */
export const ARTIFACTS_API = '/api/2.0/mlflow-artifacts/artifacts';

/** A `/`-separated path with each segment percent-encoded. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
