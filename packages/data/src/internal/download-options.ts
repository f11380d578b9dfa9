import type { DownloadDatasetOptions } from '../download-dataset.js';
import { DataError } from '../errors.js';
import { SITES, type Site } from '../schema.js';
import type { RetryPolicy } from './fetch-with-retry.js';

/** Checks `sites`: a non-empty list of known sites, none twice (`INVALID_OPTION`). */
export function assertSites(sites: readonly Site[]): void {
  if (!Array.isArray(sites) || sites.length === 0) {
    throw new DataError({
      code: 'INVALID_OPTION',
      message: `sites must be a non-empty list of ${SITES.join(', ')}`,
    });
  }
  for (const site of sites) {
    if (!SITES.includes(site)) {
      throw new DataError({
        code: 'INVALID_OPTION',
        message: `unknown site "${String(site)}"; expected one of ${SITES.join(', ')}`,
      });
    }
  }
  if (new Set(sites).size !== sites.length) {
    throw new DataError({
      code: 'INVALID_OPTION',
      message: `sites lists a site twice: ${sites.join(', ')}`,
    });
  }
}

/** The retry and timeout options with their defaults, each checked (`INVALID_OPTION`). */
export function readRetryPolicy(options: DownloadDatasetOptions): RetryPolicy {
  return {
    retries: nonNegative('retries', options.retries ?? 4),
    timeoutMs: positive('timeoutMs', options.timeoutMs ?? 30_000),
    maxTotalMs: positive('maxTotalMs', options.maxTotalMs ?? 120_000),
    backoffMs: nonNegative('backoffMs', options.backoffMs ?? 500),
  };
}

/** Largest download accepted by default: 64 MiB (the UCI files are under 20 KB). */
const DEFAULT_MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024;

/** `maxBytes` with its default, checked. */
export function readMaxBytes(options: DownloadDatasetOptions): number {
  return positive('maxBytes', options.maxBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES);
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new DataError({
      code: 'INVALID_OPTION',
      message: `${name} must be a positive number, got ${value}`,
    });
  }
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0 || (name === 'retries' && !Number.isInteger(value))) {
    throw new DataError({
      code: 'INVALID_OPTION',
      message: `${name} must be a ${name === 'retries' ? 'whole number' : 'number'} of zero or more, got ${value}`,
    });
  }
  return value;
}
