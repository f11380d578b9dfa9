import { redactUri } from '@heart/internal';
import { MlflowError } from '../errors.js';
import type { Experiment } from '../types.js';
import { localArtifactRoot } from './local-artifacts.js';

/**
 * Refuses, before any work, an experiment whose artifacts this client cannot write: one whose
 * artifact location is neither a local path nor `mlflow-artifacts:` (an `s3://` bucket, say, on a
 * server that does not proxy artifacts). An experiment keeps the location it was created with, so
 * restarting the server with `--serve-artifacts` does not help it: the message says to use a new
 * experiment.
 *
 * @example
 * ```ts
 * const experiment = await client.setExperiment('heart-disease-mlops');
 * assertArtifactsWritable(experiment); // before training
 * ```
 */
export function assertArtifactsWritable(experiment: Experiment): void {
  const location = experiment.artifactLocation;
  if (localArtifactRoot(location) || /^mlflow-artifacts:/.test(location)) return;
  throw new MlflowError({
    code: 'UNSUPPORTED_URI',
    message: `experiment "${experiment.name}" (${experiment.experimentId}) stores artifacts at ${redactUri(location)}, which this client cannot write directly (only local paths and the server's mlflow-artifacts: proxy). An experiment keeps the artifact location it was created with: restarting the server with --serve-artifacts does not change it. Use a new experiment on a server started with --serve-artifacts (or set --experiment to one whose artifacts are proxied).`,
  });
}
