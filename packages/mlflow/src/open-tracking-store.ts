import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactUri } from '@heart/internal';
import { invalidParameter, MlflowError } from './errors.js';
import { FileStore } from './file-store/file-store.js';
import { RestStore } from './rest/rest-store.js';
import type { TrackingClientOptions } from './tracking-client-options.js';
import type { TrackingStore } from './tracking-store.js';

/**
 * The client's options, checked: `null` or none is `{}`; `trackingUri` and `cwd` strings, `env`
 * and `rest` objects, else `INVALID_PARAMETER_VALUE` naming the option (where a raw `TypeError`
 * from `path.resolve` used to come out).
 */
export function checkClientOptions(options: TrackingClientOptions | null): TrackingClientOptions {
  if (options === null || options === undefined) return {};
  if (typeof options !== 'object' || Array.isArray(options))
    throw invalidParameter(`the client's options must be an object, got ${kindOf(options)}`);
  for (const name of ['trackingUri', 'cwd'] as const) {
    const value = options[name];
    if (value !== undefined && typeof value !== 'string')
      throw invalidParameter(`option ${name} must be a string, got ${kindOf(value)}`);
  }
  for (const name of ['env', 'rest'] as const) {
    const value = options[name];
    if (
      value !== undefined &&
      (value === null || typeof value !== 'object' || Array.isArray(value))
    )
      throw invalidParameter(`option ${name} must be an object, got ${kindOf(value)}`);
  }
  return options;
}

const kindOf = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;

/** Where MLflow would track: the option, else `MLFLOW_TRACKING_URI`, else `./mlruns`. */
export function resolveTrackingUri(
  options: { trackingUri?: string; env?: Record<string, string | undefined> } = {},
): string {
  const env = options.env ?? process.env;
  return options.trackingUri || env.MLFLOW_TRACKING_URI || './mlruns';
}

/**
 * The backend for a tracking URI resolved as MLflow resolves it: paths and `file:` URIs open the
 * local file store, `http(s):` the REST client; any other scheme is `UNSUPPORTED_URI`.
 */
export function openTrackingStore(
  options: TrackingClientOptions & { env: Record<string, string | undefined> },
): TrackingStore {
  const { env } = options;
  const uri = resolveTrackingUri({ trackingUri: options.trackingUri, env });
  if (/^https?:\/\//i.test(uri)) return new RestStore(uri, { ...options.rest, env });
  if (/^file:/i.test(uri)) return new FileStore(fileURLToPath(uri));
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri) && !/^[a-z]:[\\/]/i.test(uri)) {
    throw new MlflowError({
      code: 'UNSUPPORTED_URI',
      message: `tracking URI ${redactUri(uri)}: use a path, a file: URI or an http(s):// tracking server (databricks, sqlite and other schemes need an MLflow server in front)`,
    });
  }
  return new FileStore(resolve(options.cwd ?? process.cwd(), uri));
}
