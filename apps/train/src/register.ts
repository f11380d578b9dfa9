import type { ModelVersion, TrackingClient } from '@heart/mlflow';
import { MlflowError } from '@heart/mlflow';
import type { SelectionMetric, TrainOptions } from './options.js';
import type { TrainedModel } from './training-result.js';

/** What registering the best model did, and why the alias moved or stayed. */
export interface RegistryOutcome {
  name: string;
  version: string;
  alias: string;
  /** Whether the alias now points at the new version. */
  promoted: boolean;
  /** The version the alias pointed at before, if any. */
  previous?: { version: string; value: number | undefined };
  /** One sentence: what happened and why. */
  reason: string;
}

const LOWER_IS_BETTER: ReadonlySet<SelectionMetric> = new Set(['log_loss', 'brier']);

/**
 * Registers the best run's model as a new version of `options.registeredModel` (the registry is
 * the record of what was best), then moves `options.alias` to it as `options.promote` says:
 * `if-better` only when it beats the version the alias points at on the selection metric,
 * `always`, or `never`.
 */
export async function registerBest(
  client: TrackingClient,
  best: TrainedModel,
  options: Pick<TrainOptions, 'registeredModel' | 'alias' | 'promote' | 'selectMetric'>,
): Promise<RegistryOutcome> {
  const { registeredModel: name, alias, promote, selectMetric: metric } = options;
  const registry = client.registry;
  const previous = await aliasTarget(client, { name, alias, metric });
  const version = await registry.registerModel(`runs:/${best.runId}/model`, name, {
    tags: { 'heart.selection_metric': metric, 'heart.run_name': best.runName },
  });
  const value = best.metrics[metric];
  const outcome = { name, version: version.version, alias, ...(previous ? { previous } : {}) };
  const decision = decide(promote, metric, value, previous);
  if (decision.promote) await registry.setRegisteredModelAlias(name, alias, version.version);
  return {
    ...outcome,
    promoted: decision.promote,
    reason: `${name} version ${version.version} registered (run ${best.runId}); ${decision.promote ? `alias ${alias} → version ${version.version}` : `alias ${alias} stays ${previous ? `on version ${previous.version}` : 'unset'}`}: ${decision.why}`,
  };
}

function decide(
  promote: TrainOptions['promote'],
  metric: SelectionMetric,
  value: number,
  previous: RegistryOutcome['previous'],
): { promote: boolean; why: string } {
  const mine = `${metric} ${value.toFixed(4)}`;
  if (promote === 'never') return { promote: false, why: '--promote never' };
  if (promote === 'always') return { promote: true, why: `--promote always (${mine})` };
  if (!previous) return { promote: true, why: `no version had the alias yet (${mine})` };
  if (previous.value === undefined) {
    return {
      promote: true,
      why: `version ${previous.version}'s run logged no ${metric} to compare (${mine})`,
    };
  }
  const theirs = `version ${previous.version}'s ${previous.value.toFixed(4)}`;
  const better = LOWER_IS_BETTER.has(metric) ? value < previous.value : value > previous.value;
  return better
    ? { promote: true, why: `${mine} beats ${theirs}` }
    : { promote: false, why: `${mine} does not beat ${theirs}` };
}

/** The version `alias` points at and its run's value of the metric, or `undefined` when unset. */
async function aliasTarget(
  client: TrackingClient,
  { name, alias, metric }: { name: string; alias: string; metric: SelectionMetric },
): Promise<RegistryOutcome['previous'] | undefined> {
  let version: ModelVersion;
  try {
    version = await client.registry.getModelVersionByAlias(name, alias);
  } catch (error) {
    // No such model yet (404), or no such alias on it (MLflow answers 400 for that).
    if (
      error instanceof MlflowError &&
      (error.code === 'RESOURCE_DOES_NOT_EXIST' || error.code === 'INVALID_PARAMETER_VALUE')
    )
      return undefined;
    throw error;
  }
  const run = version.runId ? await client.getRun(version.runId).catch(() => undefined) : undefined;
  return {
    version: version.version,
    value: run?.data.metrics.find((m) => m.key === metric)?.value,
  };
}
