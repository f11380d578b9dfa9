import type { RunInfo } from '../types.js';
import { checkSyncOptions, openSyncStores, type SyncSettings } from './open-sync-stores.js';
import { type PlannedExperiment, planSync } from './sync-plan.js';
import { describeRegistry, syncRegistry } from './sync-registry.js';
import { type RunContext, syncOneRun } from './sync-run.js';
import type { SyncSource } from './sync-source.js';
import type { DestinationCopy, SyncTarget } from './sync-target.js';
import type { SyncEvent, SyncRunEvent, SyncRunsOptions, SyncSummary } from './sync-types.js';

/**
 * Copies runs from one tracking store into another — file store → server, server → file store,
 * file store → file store — exactly once: experiments by name with their tags; runs with params,
 * every metric point, tags (system tags too), status, times, name and artifacts; logged models;
 * registered models, versions (same numbers) and aliases, their sources pointed at the copies.
 *
 * Each copy records its source run (`heart.sync.source_run_id`, `heart.sync.origin_run_id`) from
 * its `runs/create` on, and `heart.sync.complete` last: a second sync finds every run and moves
 * nothing; a sync killed at any moment and run again finishes the unfinished copies from what
 * they hold (points compared with the destination's history, never sent twice) and makes no
 * second copy. The state lives in the destination, not in a side file.
 *
 * @example
 * ```ts
 * const summary = await syncRuns({ from: './mlruns', to: 'http://127.0.0.1:5000' });
 * console.log(`${summary.runs.copied} runs copied, ${summary.runs.present} already there`);
 * ```
 */
export async function syncRuns(options: SyncRunsOptions): Promise<SyncSummary> {
  const settings = checkSyncOptions(options);
  const { source, target, release } = await openSyncStores(options);
  const summary = emptySummary(source.uri, target.uri, settings.dryRun);
  const emit = (event: SyncEvent) => {
    record(summary, event);
    options.onEvent?.(event);
  };
  const problem = (path: string, message: string) => emit({ kind: 'problem', path, message });
  try {
    const plan = await planSync(source, settings, problem);
    const runs = plan.reduce((sum, group) => sum + group.runs.length, 0);
    emit({ kind: 'plan', experiments: plan.length, runs });
    const shared = {
      copies: new Map<string, DestinationCopy>(),
      origins: new Map<string, string>(),
      sourceRuns: new Map<string, RunInfo>(),
    };
    for (const group of plan) {
      for (const run of group.runs) shared.sourceRuns.set(run.runId, run);
      await syncExperiment({ source, target, settings, group, shared, emit, problem });
    }
    if (settings.registry) {
      const registry = settings.dryRun
        ? describeRegistry({ source, report: emit })
        : syncRegistry({ source, target, ...shared, report: emit });
      await registry.catch((error: Error) =>
        problem(source.uri, `the registry was not synced: ${error.message}`),
      );
    }
  } finally {
    await Promise.allSettled([source.close(), target.close()]);
    await release();
  }
  summary.nothingMoved =
    summary.experimentsCreated === 0 &&
    summary.runs.failed === 0 &&
    summary.runs.present === Object.values(summary.runs).reduce((sum, count) => sum + count, 0) &&
    summary.registry.versionsCreated === 0 &&
    summary.registry.aliasesSet === 0;
  return summary;
}

/** One experiment: found or created at the destination, its copies indexed, its runs synced. */
async function syncExperiment(work: {
  source: SyncSource;
  target: SyncTarget;
  settings: SyncSettings;
  group: PlannedExperiment;
  shared: Pick<RunContext, 'copies' | 'origins'>;
  emit: (event: SyncEvent) => void;
  problem: (path: string, message: string) => void;
}): Promise<void> {
  const { target, settings, group, emit } = work;
  let destination: Awaited<ReturnType<SyncTarget['ensureExperiment']>>;
  let index: Map<string, DestinationCopy[]>;
  try {
    destination = await target.ensureExperiment(group.experiment, settings.dryRun);
    index = destination.experiment
      ? await target.indexCopies(destination.experiment.experimentId)
      : new Map();
  } catch (error) {
    work.problem(target.uri, `experiment "${group.experiment.name}": ${(error as Error).message}`);
    for (const run of group.runs)
      emit(failedRun(group.experiment.name, run, `its experiment: ${(error as Error).message}`));
    return;
  }
  emit({
    kind: 'experiment',
    name: group.experiment.name,
    created: destination.created,
    ...(destination.experiment ? { experimentId: destination.experiment.experimentId } : {}),
  });
  const context: RunContext = {
    ...work,
    ...work.shared,
    experiment: group.experiment,
    destination: destination.experiment,
    index,
    report: emit,
  };
  await forEachLimit(group.runs, settings.concurrency, (run) => syncOneRun(context, run));
}

function failedRun(experimentName: string, run: RunInfo, message: string): SyncRunEvent {
  return {
    kind: 'run',
    outcome: 'failed',
    experimentName,
    sourceRunId: run.runId,
    runName: run.runName,
    sent: { params: 0, tags: 0, points: 0, files: 0, bytes: 0 },
    complete: false,
    message,
  };
}

/** Runs `work` on every item, at most `limit` at a time. */
async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function emptySummary(from: string, to: string, dryRun: boolean): SyncSummary {
  return {
    from,
    to,
    dryRun,
    experimentsCreated: 0,
    runs: { copied: 0, resumed: 0, present: 0, failed: 0, 'would-copy': 0, 'would-resume': 0 },
    sent: { params: 0, tags: 0, points: 0, files: 0, bytes: 0 },
    registry: { models: 0, versionsCreated: 0, aliasesSet: 0, skipped: 0 },
    sourceDeleted: 0,
    problems: [],
    failures: [],
    nothingMoved: false,
  };
}

/** Adds one event to the summary. */
function record(summary: SyncSummary, event: SyncEvent): void {
  if (event.kind === 'problem') summary.problems.push({ path: event.path, message: event.message });
  if (event.kind === 'experiment' && event.created) summary.experimentsCreated++;
  if (event.kind === 'model') {
    summary.registry.models++;
    summary.registry.versionsCreated += event.versionsCreated;
    summary.registry.aliasesSet += event.aliasesSet;
    if (event.skipped) summary.registry.skipped++;
  }
  if (event.kind !== 'run') return;
  summary.runs[event.outcome]++;
  for (const key of Object.keys(summary.sent) as (keyof SyncSummary['sent'])[])
    summary.sent[key] += event.sent[key];
  if (event.sourceDeleted) summary.sourceDeleted++;
  if (event.outcome === 'failed')
    summary.failures.push({
      sourceRunId: event.sourceRunId,
      runName: event.runName,
      message: event.message ?? '',
    });
}
