import { stat } from 'node:fs/promises';
import { downloadTree } from '../artifacts/download-artifacts.js';
import { localArtifactRoot } from '../artifacts/local-artifacts.js';
import { notFound } from '../errors.js';
import type { TrackingStore } from '../tracking-store.js';
import { copyTree } from './file-registry-layout.js';
import { appendToUriPath, parseModelUri, parseRunsUri } from './model-uri.js';
import type { RegistryStore } from './registry-store.js';
import type { ModelVersion, ResolvedModelUri } from './registry-types.js';

/** A resolved URI and the cache key of what it names (`models/<name>/<n>`, `runs/<run>/<path>`). */
export interface Resolution {
  resolved: ResolvedModelUri;
  cacheKey: string[];
}

/**
 * Resolves a model URI with exactly the calls of MLflow's client (SPEC §8.3): a version by
 * `get-download-uri`; an alias by `registered-models/alias`, then `get-download-uri`; a stage or
 * `latest` by `get-latest-versions` (highest version), then `get-download-uri`; a `runs:/` URI —
 * given, or the version's source — by `runs/get`, continuing below the run's `artifact_uri`.
 */
export async function resolveModel(
  uri: string,
  registry: RegistryStore,
  tracking: TrackingStore,
): Promise<Resolution> {
  const parsed = parseModelUri(uri);
  if (parsed.kind === 'runs') {
    const run = await tracking.getRun(parsed.runId);
    return {
      resolved: {
        uri,
        runId: parsed.runId,
        artifactUri: appendToUriPath(run.info.artifactUri, parsed.path),
      },
      cacheKey: ['runs', parsed.runId, `/${parsed.path}`],
    };
  }
  let version: ModelVersion | undefined;
  let number: string;
  if (parsed.kind === 'version') number = parsed.version;
  else {
    version =
      parsed.kind === 'alias'
        ? await registry.getModelVersionByAlias(parsed.name, parsed.alias)
        : await latestVersion(
            registry,
            parsed.name,
            parsed.kind === 'stage' ? parsed.stage : undefined,
          );
    number = version.version;
  }
  let artifactUri = await registry.getModelVersionDownloadUri(parsed.name, number);
  let runId = version?.runId || undefined;
  if (/^runs:/i.test(artifactUri)) {
    const source = parseRunsUri(artifactUri);
    runId = source.runId;
    artifactUri = appendToUriPath(
      (await tracking.getRun(source.runId)).info.artifactUri,
      source.path,
    );
  }
  return {
    resolved: { uri, ...(version ? { version } : {}), ...(runId ? { runId } : {}), artifactUri },
    cacheKey: ['models', parsed.name, number],
  };
}

/** The highest version among the latest of each stage (or of `stage`), as MLflow picks it. */
async function latestVersion(
  registry: RegistryStore,
  name: string,
  stage: string | undefined,
): Promise<ModelVersion> {
  const latest = await registry.getLatestVersions(name, stage === undefined ? undefined : [stage]);
  if (latest.length === 0) {
    throw notFound(
      `No versions of model with name '${name}'${stage === undefined ? '' : ` and stage '${stage}'`} found`,
    );
  }
  return latest.reduce((best, item) => (Number(item.version) > Number(best.version) ? item : best));
}

/**
 * Copies the model folder at `artifactUri` into `target`: a plain copy for a path or `file:`
 * URI, else through the store (the server's artifact proxy for `mlflow-artifacts:`).
 */
export async function fetchModelFiles(
  tracking: TrackingStore,
  location: { artifactUri: string; runId?: string },
  target: string,
): Promise<void> {
  const local = localArtifactRoot(location.artifactUri);
  if (local) {
    const info = await stat(local).catch(() => undefined);
    if (!info?.isDirectory()) throw notFound(`model folder ${local} not found`);
    await copyTree(local, target);
    return;
  }
  await downloadTree(
    tracking,
    { runId: location.runId ?? '', artifactUri: location.artifactUri },
    '',
    target,
  );
}
