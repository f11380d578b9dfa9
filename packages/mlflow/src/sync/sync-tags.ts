import type { RunTag } from '../types.js';

/** The tags a sync writes at the destination (and never copies from a source). */
export const SYNC_TAGS = {
  /** The run a copy was made from (its id in the source store), set by `runs/create`. */
  sourceRunId: 'heart.sync.source_run_id',
  /**
   * The run's first id, through every sync (`A → server → B`: B's copy names A's run), set by
   * `runs/create`: what a later sync looks a copy up by.
   */
  originRunId: 'heart.sync.origin_run_id',
  /** `true` once everything of the run is at the destination; the last thing a copy writes. */
  complete: 'heart.sync.complete',
  /** On a model version: the source's version number. */
  sourceVersion: 'heart.sync.source_version',
  /** On a registered model the sync created: the highest source version it has dealt with. */
  versions: 'heart.sync.versions',
} as const;

const SYNC_PREFIX = 'heart.sync.';
const HISTORY_TAG = 'mlflow.log-model.history';

/** Whether a tag is one the sync writes (so never copied from a source). */
export function isSyncTag(key: string): boolean {
  return key.startsWith(SYNC_PREFIX);
}

/** The origin of a source run: the origin it was copied from, else its own id. */
export function originRunId(runId: string, tags: readonly RunTag[]): string {
  return tags.find((tag) => tag.key === SYNC_TAGS.originRunId)?.value || runId;
}

/**
 * The tags a copy gets: the source's (system tags too), minus the source's own `heart.sync.*`,
 * plus the copy's source and origin ids. `mlflow.log-model.history` names the run in each entry;
 * {@link rewriteModelHistory} points it at the copy once its id is known.
 */
export function copyTags(runId: string, tags: readonly RunTag[]): RunTag[] {
  return [
    ...tags.filter((tag) => !isSyncTag(tag.key)),
    { key: SYNC_TAGS.sourceRunId, value: runId },
    { key: SYNC_TAGS.originRunId, value: originRunId(runId, tags) },
  ];
}

/** Splits off the logged-model history tag (it waits for the copy's run id). */
export function splitHistoryTag(tags: readonly RunTag[]): {
  tags: RunTag[];
  history: RunTag | undefined;
} {
  return {
    tags: tags.filter((tag) => tag.key !== HISTORY_TAG),
    history: tags.find((tag) => tag.key === HISTORY_TAG),
  };
}

/**
 * The `mlflow.log-model.history` value with every `"run_id": "<source>"` naming the copy instead;
 * the rest byte for byte (Python's JSON spacing kept).
 */
export function rewriteModelHistory(tag: RunTag, sourceRunId: string, runId: string): RunTag {
  const quoted = JSON.stringify(sourceRunId);
  return {
    key: tag.key,
    value: tag.value.replace(
      new RegExp(`("run_id"\\s*:\\s*)${escapeRegExp(quoted)}`, 'g'),
      (_, head: string) => `${head}${JSON.stringify(runId)}`,
    ),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The complete marker. */
export const COMPLETE_TAG: RunTag = { key: SYNC_TAGS.complete, value: 'true' };
