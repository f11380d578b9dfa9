import { redactUri } from '@heart/internal';
import { authorizationHeader } from './credentials.js';
import { badSetting, booleanSetting, numberSetting, readSettingFile } from './env-settings.js';
import { MAX_ANSWER_BYTES } from './read-answer.js';
import type { RestStoreOptions } from './rest-store-options.js';
import type { RetryPolicy } from './retry.js';

/** Everything the transport needs, resolved and checked. */
export interface RestConfig extends RetryPolicy {
  /** `http(s)://host:port[/prefix]`, no credentials, no trailing slash. */
  baseUrl: string;
  /** Headers sent with every request (`Authorization`, `User-Agent`). Never printed. */
  headers: Record<string, string>;
  maxRetries: number;
  timeoutMs: number;
  deadlineMs: number;
  /** The most bytes of one answer read into memory. */
  maxAnswerBytes: number;
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
  const { baseUrl, username, password } = parseTrackingUrl(uri);
  const headers: Record<string, string> = { 'user-agent': userAgent };
  const authorization = authorizationHeader(env, { username, password });
  if (authorization) headers.authorization = authorization;
  const tls = resolveTls(env);
  const maxAnswerBytes = options.maxAnswerBytes ?? MAX_ANSWER_BYTES;
  if (!Number.isSafeInteger(maxAnswerBytes) || maxAnswerBytes < 1)
    throw badSetting('rest option maxAnswerBytes', 'must be a whole number of bytes, at least 1');
  return { baseUrl, headers, ...resolveTiming(env, options), maxAnswerBytes, tls };
}

/** The server URL without credentials, query or trailing slash, and the credentials it held. */
function parseTrackingUrl(uri: string): { baseUrl: string; username: string; password: string } {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw badSetting('MLFLOW_TRACKING_URI', `${redactUri(uri)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw badSetting('MLFLOW_TRACKING_URI', `${redactUri(uri)} is not an http(s) URL`);
  // Credentials in the URI become Basic auth (fetch refuses URLs that carry them).
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return { baseUrl: url.href.replace(/\/+$/, ''), username, password };
}

function resolveTls(env: Record<string, string | undefined>): RestConfig['tls'] {
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
  return tls;
}

/** Retries, backoff, timeouts and the deadline: each option, else its variable, else MLflow's default. */
function resolveTiming(
  env: Record<string, string | undefined>,
  options: RestStoreOptions,
): Omit<RestConfig, 'baseUrl' | 'headers' | 'tls' | 'maxAnswerBytes'> {
  const maxRetries =
    options.maxRetries ?? numberSetting(env, 'MLFLOW_HTTP_REQUEST_MAX_RETRIES', 1) ?? 5;
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10)
    throw badSetting('MLFLOW_HTTP_REQUEST_MAX_RETRIES', 'must be an integer from 0 to 10');
  const timing = {
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
  };
  for (const [name, value] of [
    ['MLFLOW_HTTP_REQUEST_TIMEOUT', timing.timeoutMs],
    ['HEART_MLFLOW_REQUEST_DEADLINE', timing.deadlineMs],
  ] as const) {
    if (!(value > 0)) throw badSetting(name, 'must be a positive number of seconds');
  }
  for (const [name, value] of [
    ['MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR', timing.backoffFactorMs],
    ['MLFLOW_HTTP_REQUEST_BACKOFF_JITTER', timing.backoffJitterMs],
  ] as const) {
    if (!(value >= 0)) throw badSetting(name, 'must be a number ≥ 0');
  }
  return timing;
}
