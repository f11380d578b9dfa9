import { MlflowError } from './errors.js';
import type { TrackingStore } from './tracking-store.js';
import type { Experiment } from './types.js';

/**
 * Gets the experiment called `name`, creating it when absent — `mlflow.set_experiment`: as MLflow's
 * client, get by name, create, get by id; a name another process took meanwhile is theirs to
 * share; a deleted experiment is refused.
 */
export async function setExperiment(store: TrackingStore, name: string): Promise<Experiment> {
  let experiment = await store.getExperimentByName(name);
  if (!experiment) {
    try {
      experiment = await store.getExperiment(await store.createExperiment(name));
    } catch (error) {
      // Another process created it meanwhile: use theirs.
      if (!(error instanceof MlflowError && error.code === 'RESOURCE_ALREADY_EXISTS')) throw error;
      experiment = await store.getExperimentByName(name);
    }
  }
  if (!experiment)
    throw new MlflowError({
      code: 'INTERNAL_ERROR',
      message: `experiment '${name}' vanished after creation`,
    });
  if (experiment.lifecycleStage === 'deleted') {
    throw new MlflowError({
      code: 'INVALID_PARAMETER_VALUE',
      message: `Cannot set a deleted experiment '${name}' as the active experiment. You can restore the experiment, or permanently delete the experiment to create a new one.`,
    });
  }
  return experiment;
}
