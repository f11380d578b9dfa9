import { stat } from 'node:fs/promises';
import { redactUri } from '@heart/internal';
import { invalidParameter, MlflowError } from '../errors.js';
import { FileStore } from '../file-store/file-store.js';
import { openTrackingStore } from '../open-tracking-store.js';
import { createRequestFetch } from '../rest/request-fetch.js';
import { resolveRestConfig } from '../rest/rest-config.js';
import { RestStore } from '../rest/rest-store.js';
import { FileSyncSource } from './file-source.js';
import { FileSyncTarget } from './file-target.js';
import { RestSyncSource } from './rest-source.js';
import { RestSyncTarget } from './rest-target.js';
import type { SyncSource } from './sync-source.js';
import type { SyncTarget } from './sync-target.js';
import type { SyncRunsOptions } from './sync-types.js';

/** The options after their checks, defaults filled in. */
export interface SyncSettings {
  experiments: readonly string[] | undefined;
  runIds: ReadonlySet<string> | undefined;
  since: number | undefined;
  dryRun: boolean;
  deleteSource: boolean;
  registry: boolean;
  concurrency: number;
}

/** Checks {@link SyncRunsOptions} at the door: each field's type and range, named when wrong. */
export function checkSyncOptions(options: SyncRunsOptions): SyncSettings {
  for (const field of ['from', 'to'] as const) {
    if (typeof options[field] !== 'string' || options[field].trim() === '')
      throw invalidParameter(`syncRuns: ${field} must name a store (a path or an http(s) URL)`);
  }
  const list = (field: 'experiments' | 'runIds') => {
    const value = options[field];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item === ''))
      throw invalidParameter(`syncRuns: ${field} must be a list of non-empty strings`);
    return value as readonly string[];
  };
  const since = options.since instanceof Date ? options.since.getTime() : options.since;
  if (since !== undefined && !Number.isFinite(since))
    throw invalidParameter('syncRuns: since must be a Date or epoch milliseconds');
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw invalidParameter('syncRuns: concurrency must be a whole number from 1 to 64');
  const runIds = list('runIds');
  return {
    experiments: list('experiments'),
    runIds: runIds ? new Set(runIds) : undefined,
    since,
    dryRun: options.dryRun ?? false,
    deleteSource: options.deleteSource ?? false,
    registry: options.registry ?? true,
    concurrency,
  };
}

/** The two ends of a sync: a file store or a server each; the same store twice is refused. */
export async function openSyncStores(
  options: SyncRunsOptions,
): Promise<{ source: SyncSource; target: SyncTarget; release: () => Promise<void> }> {
  const env = options.env ?? process.env;
  const releases: (() => Promise<void>)[] = [];
  const open = (uri: string) => {
    let rest = options.rest;
    // Thousands of requests: undici's `request` under the same agent, unless a fetch is given.
    if (/^https?:\/\//i.test(uri) && !rest?.fetch) {
      const { tls } = resolveRestConfig(uri, { ...rest, env }, '');
      const fast = createRequestFetch(env, tls);
      releases.push(fast.close);
      rest = { ...rest, fetch: fast.fetch };
    }
    return openTrackingStore({
      trackingUri: uri,
      env,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      ...(rest ? { rest } : {}),
    });
  };
  const from = open(options.from);
  const to = open(options.to);
  const release = async () => {
    await Promise.allSettled(releases.map((close) => close()));
  };
  if (from.uri === to.uri) {
    await Promise.allSettled([from.close?.(), to.close?.(), release()]);
    throw invalidParameter(`syncRuns: from and to are the same store (${from.uri})`);
  }
  if (from instanceof FileStore && !(await stat(from.root).catch(() => undefined))) {
    await Promise.allSettled([to.close?.(), release()]);
    throw new MlflowError({
      code: 'RESOURCE_DOES_NOT_EXIST',
      message: `syncRuns: there is no file store at ${from.root} to sync from`,
    });
  }
  return { source: sourceOf(from), target: targetOf(to), release };
}

function sourceOf(store: FileStore | RestStore | object): SyncSource {
  if (store instanceof FileStore) return new FileSyncSource(store);
  if (store instanceof RestStore) return new RestSyncSource(store);
  throw unsupported(store);
}

function targetOf(store: FileStore | RestStore | object): SyncTarget {
  if (store instanceof FileStore) return new FileSyncTarget(store);
  if (store instanceof RestStore) return new RestSyncTarget(store);
  throw unsupported(store);
}

function unsupported(store: object): MlflowError {
  return new MlflowError({
    code: 'UNSUPPORTED_URI',
    message: `syncRuns: cannot sync with ${redactUri(String((store as { uri?: string }).uri))}`,
  });
}
