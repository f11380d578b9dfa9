import { describe, expect, it } from 'vitest';
import { MlflowError } from '../errors.js';
import type { Experiment } from '../types.js';
import { assertArtifactsWritable } from './artifact-access.js';

const experiment = (artifactLocation: string): Experiment => ({
  experimentId: '1',
  name: 'heart-disease-mlops',
  artifactLocation,
  lifecycleStage: 'active',
  tags: [],
});

describe('assertArtifactsWritable', () => {
  it('accepts local paths, file: URIs and the mlflow-artifacts: proxy', () => {
    for (const location of ['/srv/mlruns/1', 'file:///srv/mlruns/1', 'mlflow-artifacts:/1'])
      expect(() => assertArtifactsWritable(experiment(location))).not.toThrow();
  });

  it('refuses any other location, naming it (without credentials) and what to do', () => {
    for (const location of [
      's3://bucket/1',
      'gs://bucket/1',
      'wasbs://c@acct.blob.core.windows.net/1',
    ]) {
      let error: unknown;
      try {
        assertArtifactsWritable(experiment(location));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(MlflowError);
      expect((error as MlflowError).code).toBe('UNSUPPORTED_URI');
      expect((error as Error).message).toContain('Use a new experiment');
    }
    expect(() => assertArtifactsWritable(experiment('ftp://u:pw123@h/1'))).toThrow(
      /ftp:\/\/u:\*\*\*@h\/1/,
    );
  });
});
