import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Clock, redactUri } from '@heart/internal';
import { MlflowError } from '../errors.js';

/** The subset of `fetch` the REST client uses; inject one for tests or custom transports. */
export type FetchLike = (
  url: string,
  init: RequestInit & { duplex?: 'half'; dispatcher?: unknown },
) => Promise<Response>;

/** A retry about to happen (for logs and tests). */
export interface RetryEvent {
  endpoint: string;
  /** 1 for the first retry. */
  attempt: number;
  /** What failed: `HTTP 503`, `ECONNRESET`, `timeout after 120000 ms`. */
  reason: string;
  waitMs: number;
}

/** Options of {@link RestStore} (each defaults to the MLflow environment variable of the same meaning). */
export interface RestStoreOptions {
  /** Environment to read `MLFLOW_*` from. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Default: undici's `fetch` through an agent honouring proxies and the TLS settings. */
  fetch?: FetchLike;
  /** Retries after the first attempt. Default `MLFLOW_HTTP_REQUEST_MAX_RETRIES`, else 5 (at most 10). */
  maxRetries?: number;
  /** Per-attempt timeout in ms. Default `MLFLOW_HTTP_REQUEST_TIMEOUT` (seconds), else 120 s. */
  timeoutMs?: number;
  /** Backoff factor in ms: retry n waits `factor · 2^(n−1)` (none before the first). Default `MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR` (s), else 2 s. */
  backoffFactorMs?: number;
  /** Up to this much random jitter is added to every wait. Default `MLFLOW_HTTP_REQUEST_BACKOFF_JITTER` (s), else 1 s. */
  backoffJitterMs?: number;
  /** Longest single wait, backoff or `Retry-After`. Default 120 s for backoff, 6 h for `Retry-After`. */
  maxRetryAfterMs?: number;
  /** Whether `Retry-After` replaces the backoff on 429/503. Default `MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER`, else true. */
  respectRetryAfter?: boolean;
  /** Total time one call may take, retries included. Default `HEART_MLFLOW_REQUEST_DEADLINE` (s), else 600 s. */
  deadlineMs?: number;
  /** Buffered metric points that trigger a flush. Default 1000 (one full `log-batch`). */
  metricFlushSize?: number;
  /** Longest a buffered metric point waits before it is sent, in ms. Default 2000. */
  metricFlushIntervalMs?: number;
  /** Called before each retry. */
  onRetry?: (event: RetryEvent) => void;
  /** Random numbers in [0, 1) for the jitter. Default `Math.random`. */
  random?: () => number;
  /** Wall clock, waits and timers (retry waits, deadlines, timeouts, flushes). Default the system's. */
  clock?: Clock;
}

/** Everything the transport needs, resolved and checked. */
export interface RestConfig {
  /** `http(s)://host:port[/prefix]`, no credentials, no trailing slash. */
  baseUrl: string;
  /** Headers sent with every request (`Authorization`, `User-Agent`). Never printed. */
  headers: Record<string, string>;
  maxRetries: number;
  timeoutMs: number;
  backoffFactorMs: number;
  backoffJitterMs: number;
  maxBackoffMs: number;
  maxRetryAfterMs: number;
  respectRetryAfter: boolean;
  deadlineMs: number;
  tls: { rejectUnauthorized: boolean; ca?: string; cert?: string; key?: string };
}

const SECOND = 1000;

/**
 * Resolves the REST settings as MLflow's Python client does (SPEC §3.6–3.7): retries and timeouts
 * from `MLFLOW_HTTP_REQUEST_*`; Basic auth from `MLFLOW_TRACKING_USERNAME`/`_PASSWORD` (or
 * `~/.mlflow/credentials`, or credentials in the URI), else a Bearer `MLFLOW_TRACKING_TOKEN`; TLS
 * from `MLFLOW_TRACKING_INSECURE_TLS`, `MLFLOW_TRACKING_SERVER_CERT_PATH` and
 * `MLFLOW_TRACKING_CLIENT_CERT_PATH`. A malformed setting is an `INVALID_PARAMETER_VALUE` naming
 * the variable.
 */
export function resolveRestConfig(
  uri: string,
  options: RestStoreOptions,
  userAgent: string,
): RestConfig {
  const env = options.env ?? process.env;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw badSetting('MLFLOW_TRACKING_URI', `${redactUri(uri)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw badSetting('MLFLOW_TRACKING_URI', `${redactUri(uri)} is not an http(s) URL`);
  // Credentials in the URI become Basic auth (fetch refuses URLs that carry them).
  const uriUser = decodeURIComponent(url.username);
  const uriPassword = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  const baseUrl = url.href.replace(/\/+$/, '');

  const file = readCredentialsFile(env);
  const username = env.MLFLOW_TRACKING_USERNAME || file.username || uriUser;
  const password = env.MLFLOW_TRACKING_PASSWORD || file.password || uriPassword;
  const token = env.MLFLOW_TRACKING_TOKEN;
  const headers: Record<string, string> = { 'user-agent': userAgent };
  if (username && password) {
    headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  } else if (token) {
    headers.authorization = `Bearer ${token}`;
  }

  const insecure = booleanSetting(env, 'MLFLOW_TRACKING_INSECURE_TLS') ?? false;
  const caPath = env.MLFLOW_TRACKING_SERVER_CERT_PATH;
  const clientCertPath = env.MLFLOW_TRACKING_CLIENT_CERT_PATH;
  if (insecure && caPath) {
    throw badSetting(
      'MLFLOW_TRACKING_INSECURE_TLS',
      'cannot be true together with MLFLOW_TRACKING_SERVER_CERT_PATH',
    );
  }
  const tls: RestConfig['tls'] = { rejectUnauthorized: !insecure };
  if (caPath) tls.ca = readSettingFile('MLFLOW_TRACKING_SERVER_CERT_PATH', caPath);
  if (clientCertPath) {
    // A PEM holding the certificate and its key, as `requests`' `cert=` takes it.
    const pem = readSettingFile('MLFLOW_TRACKING_CLIENT_CERT_PATH', clientCertPath);
    tls.cert = pem;
    tls.key = pem;
  }

  const maxRetries =
    options.maxRetries ?? numberSetting(env, 'MLFLOW_HTTP_REQUEST_MAX_RETRIES', 1) ?? 5;
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10)
    throw badSetting('MLFLOW_HTTP_REQUEST_MAX_RETRIES', 'must be an integer from 0 to 10');
  const config: RestConfig = {
    baseUrl,
    headers,
    maxRetries,
    timeoutMs:
      options.timeoutMs ??
      numberSetting(env, 'MLFLOW_HTTP_REQUEST_TIMEOUT', SECOND) ??
      120 * SECOND,
    backoffFactorMs:
      options.backoffFactorMs ??
      numberSetting(env, 'MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR', SECOND) ??
      2 * SECOND,
    backoffJitterMs:
      options.backoffJitterMs ??
      numberSetting(env, 'MLFLOW_HTTP_REQUEST_BACKOFF_JITTER', SECOND) ??
      SECOND,
    maxBackoffMs: 120 * SECOND,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 6 * 3600 * SECOND,
    respectRetryAfter:
      options.respectRetryAfter ??
      booleanSetting(env, 'MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER') ??
      true,
    deadlineMs:
      options.deadlineMs ??
      numberSetting(env, 'HEART_MLFLOW_REQUEST_DEADLINE', SECOND) ??
      600 * SECOND,
    tls,
  };
  for (const [name, value] of [
    ['MLFLOW_HTTP_REQUEST_TIMEOUT', config.timeoutMs],
    ['HEART_MLFLOW_REQUEST_DEADLINE', config.deadlineMs],
  ] as const) {
    if (!(value > 0)) throw badSetting(name, 'must be a positive number of seconds');
  }
  for (const [name, value] of [
    ['MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR', config.backoffFactorMs],
    ['MLFLOW_HTTP_REQUEST_BACKOFF_JITTER', config.backoffJitterMs],
  ] as const) {
    if (!(value >= 0)) throw badSetting(name, 'must be a number ≥ 0');
  }
  return config;
}

function badSetting(name: string, message: string): MlflowError {
  return new MlflowError({ code: 'INVALID_PARAMETER_VALUE', message: `${name} ${message}` });
}

function numberSetting(
  env: Record<string, string | undefined>,
  name: string,
  scale: number,
): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value))
    throw badSetting(name, `must be a number, got ${JSON.stringify(raw)}`);
  return value * scale;
}

/** MLflow's booleans: `true`/`false`/`1`/`0` in any case; anything else is an error. */
function booleanSetting(
  env: Record<string, string | undefined>,
  name: string,
): boolean | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = raw.trim().toLowerCase();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw badSetting(name, `must be true, false, 1 or 0, got ${JSON.stringify(raw)}`);
}

function readSettingFile(name: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new MlflowError({
      code: 'INVALID_PARAMETER_VALUE',
      message: `${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      cause: error,
    });
  }
}

/** `~/.mlflow/credentials`, section `[mlflow]` (SPEC §3.7); missing or unreadable → nothing. */
function readCredentialsFile(env: Record<string, string | undefined>): {
  username?: string;
  password?: string;
} {
  const home = env.HOME ?? env.USERPROFILE;
  if (!home) return {};
  let text: string;
  try {
    text = readFileSync(join(home, '.mlflow', 'credentials'), 'utf8');
  } catch {
    return {};
  }
  const found: { username?: string; password?: string } = {};
  let section = '';
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      section = header[1]!.trim();
      continue;
    }
    const pair = /^\s*([\w.-]+)\s*[=:]\s*(.*?)\s*$/.exec(line);
    if (section !== 'mlflow' || !pair) continue;
    if (pair[1] === 'mlflow_tracking_username') found.username = pair[2]!;
    if (pair[1] === 'mlflow_tracking_password') found.password = pair[2]!;
  }
  return found;
}
