import { defaultRunName } from './internal/ids.js';
import { currentUser, systemTags } from './internal/system-tags.js';
import { setExperiment } from './set-experiment.js';
import type { StartRunOptions } from './tracking-client-options.js';
import type { CreateRunRequest, TrackingStore } from './tracking-store.js';
import { normaliseTag } from './validation.js';

/** `MLFLOW_EXPERIMENT_NAME`, or `undefined` when it is unset or empty. */
export function defaultExperimentName(env: Record<string, string | undefined>): string | undefined {
  return env.MLFLOW_EXPERIMENT_NAME || undefined;
}

/**
 * What `startRun` asks the store for, as MLflow's Python client makes it: the experiment (the id,
 * else the name — got or created —, else `MLFLOW_EXPERIMENT_ID`/`_NAME`, else Default `0`), a run
 * name (MLflow-style by default), the user (`MLFLOW_TRACKING_USERNAME`, else the OS user) and the
 * system tags, the caller's tags and `mlflow.runName`.
 */
export async function startRunRequest(
  store: TrackingStore,
  options: StartRunOptions,
  env: Record<string, string | undefined>,
): Promise<CreateRunRequest> {
  let experimentId = options.experimentId ?? env.MLFLOW_EXPERIMENT_ID;
  const experimentName =
    options.experimentName ?? (experimentId ? undefined : defaultExperimentName(env));
  if (!experimentId && experimentName)
    experimentId = (await setExperiment(store, experimentName)).experimentId;
  experimentId ??= '0';
  const runName = options.runName ?? defaultRunName();
  const user = env.MLFLOW_TRACKING_USERNAME || currentUser(env);
  const tags = [
    ...Object.entries({ ...systemTags(user), ...(options.tags ?? {}) }).map(([key, value]) =>
      normaliseTag(key, value),
    ),
    normaliseTag('mlflow.runName', runName),
  ];
  return {
    experimentId,
    userId: user,
    runName,
    startTime: options.startTime ?? Date.now(),
    tags,
  };
}
