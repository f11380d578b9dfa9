import { MlflowError } from '../errors.js';
import type { Experiment, RunInfo } from '../types.js';
import type { SyncSettings } from './open-sync-stores.js';
import { resumeCopy } from './resume-copy.js';
import type { ArtifactFile, ReportProblem, SourceRun, SyncSource } from './sync-source.js';
import { copyTags, splitHistoryTag } from './sync-tags.js';
import type { CopyJob, DestinationCopy, Sent, SyncTarget } from './sync-target.js';
import type { SyncRunEvent, SyncRunOutcome } from './sync-types.js';
import { verifyCopy } from './verify-copy.js';

/** What syncing the runs of one experiment shares. */
export interface RunContext {
  source: SyncSource;
  target: SyncTarget;
  settings: SyncSettings;
  experiment: Experiment;
  /** The destination experiment; `undefined` in a dry run when it does not exist yet. */
  destination: Experiment | undefined;
  /** The destination's copies by origin run id. */
  index: Map<string, DestinationCopy[]>;
  /** Filled: source run id → its copy, and → its origin id (for the registry). */
  copies: Map<string, DestinationCopy>;
  origins: Map<string, string>;
  report: (event: SyncRunEvent) => void;
  problem: ReportProblem;
}

const NOTHING: Sent = { params: 0, tags: 0, points: 0, files: 0, bytes: 0 };

/**
 * One source run: found at the destination by its origin id (complete or deleted there: nothing
 * to do), resumed when a copy is unfinished, else copied whole; with `deleteSource`, the source
 * run is deleted once its copy reads back equal. Every outcome is reported; a failure is the
 * run's alone.
 */
export async function syncOneRun(context: RunContext, info: RunInfo): Promise<void> {
  const base = {
    kind: 'run' as const,
    experimentName: context.experiment.name,
    sourceRunId: info.runId,
    runName: info.runName,
  };
  let stage: Stage = 'read';
  try {
    const origin = await context.source.originId(info);
    context.origins.set(info.runId, origin);
    const copies = context.index.get(origin) ?? [];
    const copy = copies.find((item) => item.complete) ?? copies[0];
    if (copy && (copy.complete || copy.deleted)) {
      context.copies.set(info.runId, copy);
      const event = { ...base, outcome: 'present' as const, destinationRunId: copy.runId };
      if (copy.deleted) {
        context.report({
          ...event,
          sent: NOTHING,
          complete: true,
          message: 'deleted at the destination: not copied again',
        });
        return;
      }
      stage = 'verify';
      const deleted = await deleteSourceIfVerified(context, info, copy);
      context.report({ ...event, sent: NOTHING, complete: true, ...deleted });
      return;
    }
    const run = await context.source.readRun(info);
    const files = await context.source.listArtifactFiles(info);
    const complete = run.info.status !== 'RUNNING';
    if (context.settings.dryRun || !context.destination) {
      const outcome: SyncRunOutcome = copy ? 'would-resume' : 'would-copy';
      context.report({
        ...base,
        outcome,
        sent: wouldSend(run, files),
        complete,
        ...(copy ? { destinationRunId: copy.runId } : {}),
      });
      return;
    }
    stage = 'write';
    const job = jobFor(context.destination, run, files, context.source, complete);
    const result = copy
      ? await resume(context.target, copy, job)
      : { ...(await context.target.copyRun(job)), outcome: 'copied' as const };
    const made = { runId: result.runId, artifactUri: result.artifactUri, complete, deleted: false };
    context.copies.set(info.runId, made);
    stage = 'verify';
    const deleted = complete
      ? await deleteSourceIfVerified(context, info, made, { run, files })
      : {};
    context.report({
      ...base,
      outcome: result.outcome,
      destinationRunId: made.runId,
      sent: result.sent,
      complete,
      ...deleted,
    });
  } catch (error) {
    context.report({
      ...base,
      outcome: 'failed',
      sent: NOTHING,
      complete: false,
      message: failure(context, error, stage),
    });
  }
}

function jobFor(
  experiment: Experiment,
  run: SourceRun,
  files: ArtifactFile[],
  source: SyncSource,
  complete: boolean,
): CopyJob {
  const { tags, history } = splitHistoryTag(copyTags(run.info.runId, run.tags));
  return { experiment, run, tags, history, files, source, complete };
}

async function resume(target: SyncTarget, copy: DestinationCopy, job: CopyJob) {
  const { sent, changed } = await resumeCopy(target, copy, job);
  const outcome: SyncRunOutcome = changed ? 'resumed' : 'present';
  return { runId: copy.runId, artifactUri: copy.artifactUri, sent, outcome };
}

function wouldSend(run: SourceRun, files: readonly ArtifactFile[]): Sent {
  return {
    params: run.params.length,
    tags: run.tags.length,
    points: run.metrics.length,
    files: files.length,
    bytes: files.reduce((sum, file) => sum + file.size, 0),
  };
}

/**
 * With `deleteSource`: reads the copy back, and deletes the source run only when the copy holds
 * all of it. Says what it did (or why it did not) for the run's report.
 */
async function deleteSourceIfVerified(
  context: RunContext,
  info: RunInfo,
  copy: DestinationCopy,
  known?: { run: SourceRun; files: ArtifactFile[] },
): Promise<{ sourceDeleted?: true; message?: string }> {
  if (!context.settings.deleteSource || context.settings.dryRun) return {};
  const run = known?.run ?? (await context.source.readRun(info));
  const files = known?.files ?? (await context.source.listArtifactFiles(info));
  const difference = await verifyCopy(context.target, copy, run, files);
  if (difference) return { message: `source kept: ${difference}` };
  await context.source.deleteRun(info.runId);
  return { sourceDeleted: true };
}

/** Where a run's sync failed: reading the source, writing the copy, or checking it (`deleteSource`). */
type Stage = 'read' | 'write' | 'verify';

/** The run's failure in words: which side, which file, what MLflow said. */
function failure(context: RunContext, error: unknown, stage: Stage): string {
  const message = error instanceof Error ? error.message : String(error);
  if (stage === 'read') {
    const path =
      error instanceof MlflowError && error.code === 'CORRUPT_STORE' ? error.endpoint : undefined;
    context.problem(path ?? context.source.uri, `run left out: ${message}`);
    return `cannot be read from the source: ${message}`;
  }
  const code = error instanceof MlflowError ? ` [${error.code}]` : '';
  if (stage === 'verify')
    return `copied, but checking the copy before deleting the source failed${code}: ${message}`;
  return `copying to ${context.target.uri} failed${code}: ${message}`;
}
