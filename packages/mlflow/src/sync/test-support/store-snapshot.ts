import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReplayServer } from '@heart/test-support';
import { FileStore } from '../../file-store/file-store.js';
import type { RegistryStore } from '../../registry/registry-store.js';
import { RestStore } from '../../rest/rest-store.js';
import type { Metric } from '../../types.js';
import { FileSyncSource } from '../file-source.js';
import { pointKey } from '../metric-diff.js';
import { RestSyncSource } from '../rest-source.js';
import type { SyncSource } from '../sync-source.js';
import { everyVersion } from '../sync-versions.js';

/** One run as a comparison sees it: everything a sync must carry, ids and locations left out. */
interface RunSnapshot {
  experiment: string;
  runName: string;
  status: string;
  startTime: number;
  endTime: number | undefined;
  userId: string;
  params: Record<string, string>;
  /** Without `heart.sync.*`; the model history's run id of the run itself as `<self>`. */
  tags: Record<string, string>;
  /** Per key, every point as `step timestamp value`, sorted (a multiset). */
  metrics: Record<string, string[]>;
  /** Path → sha256. */
  artifacts: Record<string, string>;
}

/** A store as a comparison sees it: experiments (tags), runs by origin id, the registry. */
export interface StoreSnapshot {
  experiments: Record<string, Record<string, string>>;
  runs: Record<string, RunSnapshot>;
  registry: Record<string, unknown>;
}

/** A snapshot of a file store or server, read through the sync's own readers. */
export async function snapshotStore(uri: string): Promise<StoreSnapshot> {
  const source: SyncSource = /^https?:/.test(uri)
    ? new RestSyncSource(new RestStore(uri, { maxRetries: 0 }))
    : new FileSyncSource(new FileStore(uri));
  const temp = await mkdtemp(join(tmpdir(), 'heart-snapshot-'));
  try {
    const snapshot: StoreSnapshot = { experiments: {}, runs: {}, registry: {} };
    const problems: string[] = [];
    const ids = new Map<string, string>();
    for (const experiment of await source.listExperiments((path, message) =>
      problems.push(`${path}: ${message}`),
    )) {
      snapshot.experiments[experiment.name] = Object.fromEntries(
        experiment.tags.map((tag) => [tag.key, tag.value]),
      );
      for (const info of await source.listRuns(experiment, (path) => problems.push(path))) {
        const run = await source.readRun(info);
        const tags = Object.fromEntries(run.tags.map((tag) => [tag.key, tag.value]));
        const origin = tags['heart.sync.origin_run_id'] ?? info.runId;
        ids.set(info.runId, origin);
        const artifacts: Record<string, string> = {};
        for (const [index, file] of (await source.listArtifactFiles(info)).entries()) {
          const local = join(temp, `${info.runId}-${index}`);
          await source.saveArtifact(info, file.path, local);
          artifacts[file.path] = createHash('sha256')
            .update(await readFile(local))
            .digest('hex');
        }
        snapshot.runs[origin] = {
          experiment: experiment.name,
          runName: run.info.runName,
          status: run.info.status,
          startTime: run.info.startTime,
          endTime: run.info.endTime,
          userId: run.info.userId,
          params: Object.fromEntries(run.params.map((param) => [param.key, param.value])),
          tags: ownTags(tags, info.runId),
          metrics: metricSnapshot(run.metrics),
          artifacts,
        };
      }
    }
    if (problems.length > 0) throw new Error(`unreadable: ${problems.join('; ')}`);
    snapshot.registry = await registrySnapshot(source.registry, ids);
    return snapshot;
  } finally {
    await source.close();
    await rm(temp, { recursive: true, force: true });
  }
}

function ownTags(tags: Record<string, string>, runId: string): Record<string, string> {
  const own: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) {
    if (key.startsWith('heart.sync.')) continue;
    own[key] = key === 'mlflow.log-model.history' ? value.replaceAll(runId, '<self>') : value;
  }
  return own;
}

/** Points as a sorted multiset per key. */
function metricSnapshot(metrics: readonly Metric[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const point of metrics) {
    const [, step, timestamp, value] = pointKey(point).split('\u0000');
    const list = out[point.key] ?? [];
    list.push(`${step} ${timestamp} ${value}`);
    out[point.key] = list;
  }
  for (const list of Object.values(out)) list.sort();
  return out;
}

async function registrySnapshot(
  registry: RegistryStore,
  ids: Map<string, string>,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const { registeredModels } = await registry.searchRegisteredModels({ maxResults: 1000 });
  for (const model of registeredModels) {
    const versions: Record<string, unknown> = {};
    for (const version of await everyVersion(registry, model.name)) {
      const origin = ids.get(version.runId) ?? version.runId;
      versions[version.version] = {
        stage: version.currentStage,
        description: version.description,
        run: origin,
        // Where inside the run's artifacts (or the `runs:` path): the same at both ends.
        path: version.source.replace(/^.*\/artifacts(?=\/|$)|^runs:\/[^/]+/, ''),
        tags: Object.fromEntries(
          Object.entries(version.tags).filter(([key]) => !key.startsWith('heart.sync.')),
        ),
      };
    }
    out[model.name] = {
      description: model.description,
      tags: Object.fromEntries(
        Object.entries(model.tags).filter(([key]) => !key.startsWith('heart.sync.')),
      ),
      aliases: model.aliases,
      versions,
    };
  }
  return out;
}

/**
 * The replay server's state read directly (not through HTTP), keyed like {@link snapshotStore}:
 * a check of what arrived that does not go through the sync's own readers.
 */
export function snapshotReplay(server: ReplayServer): StoreSnapshot['runs'] {
  const runs: StoreSnapshot['runs'] = {};
  for (const run of server.runs.values()) {
    const info = run.info as Record<string, string | number | undefined>;
    if (info.lifecycle_stage === 'deleted') continue;
    const runId = String(info.run_id);
    const tags = Object.fromEntries(run.tags);
    const origin = tags['heart.sync.origin_run_id'] ?? runId;
    const prefix = String(info.artifact_uri).replace(/^mlflow-artifacts:\/*/, '');
    const artifacts: Record<string, string> = {};
    for (const [key, value] of server.artifacts) {
      if (key.startsWith(`${prefix}/`))
        artifacts[key.slice(prefix.length + 1)] = createHash('sha256')
          .update(value.bytes)
          .digest('hex');
    }
    runs[origin] = {
      experiment: server.experiments.get(String(info.experiment_id))?.name ?? '?',
      runName: String(info.run_name),
      status: String(info.status),
      startTime: Number(info.start_time),
      endTime: info.end_time === undefined ? undefined : Number(info.end_time),
      userId: String(info.user_id),
      params: Object.fromEntries(run.params),
      tags: ownTags(tags, runId),
      metrics: metricSnapshot(run.metrics),
      artifacts,
    };
  }
  return runs;
}
