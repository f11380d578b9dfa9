import type { Experiment, RunInfo } from '../types.js';
import type { SyncSettings } from './open-sync-stores.js';
import type { ReportProblem, SyncSource } from './sync-source.js';

/** An experiment of the source and its runs to sync. */
export interface PlannedExperiment {
  experiment: Experiment;
  runs: RunInfo[];
}

/**
 * What to sync: the source's active experiments (those named, by name or id, when the options name
 * some) and their active runs (only the ids named, only those started since the time given). With
 * a run filter, experiments left without runs are left out; without one, every experiment is
 * synced, an empty one too (it is created with its tags). Names that match nothing are reported.
 */
export async function planSync(
  source: SyncSource,
  settings: SyncSettings,
  report: ReportProblem,
): Promise<PlannedExperiment[]> {
  let experiments = await source.listExperiments(report);
  const wanted = settings.experiments;
  if (wanted) {
    for (const name of wanted) {
      if (!experiments.some((item) => item.name === name || item.experimentId === name))
        report(source.uri, `no active experiment named or numbered "${name}" in the source`);
    }
    experiments = experiments.filter(
      (item) => wanted.includes(item.name) || wanted.includes(item.experimentId),
    );
  }
  const filtered = settings.runIds !== undefined || settings.since !== undefined;
  const plan: PlannedExperiment[] = [];
  const found = new Set<string>();
  for (const experiment of experiments) {
    const runs = (await source.listRuns(experiment, report)).filter(
      (run) =>
        (settings.runIds === undefined || settings.runIds.has(run.runId)) &&
        (settings.since === undefined || run.startTime >= settings.since),
    );
    for (const run of runs) found.add(run.runId);
    // Oldest first, as they were logged.
    runs.sort((a, b) => a.startTime - b.startTime || (a.runId < b.runId ? -1 : 1));
    if (runs.length > 0 || !filtered) plan.push({ experiment, runs });
  }
  for (const runId of settings.runIds ?? []) {
    if (!found.has(runId)) report(source.uri, `no active run ${runId} in the source`);
  }
  return plan;
}
