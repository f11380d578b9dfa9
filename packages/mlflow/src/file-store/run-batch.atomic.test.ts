import { join } from 'node:path';
import { tempDir } from '@heart/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MlflowError } from '../errors.js';
import { createTrackingClient, type TrackingClient } from '../tracking-client.js';

let dir: { path: string; cleanup: () => Promise<void> };
let client: TrackingClient;
let experimentId: string;
beforeEach(async () => {
  dir = await tempDir();
  client = createTrackingClient({ trackingUri: join(dir.path, 'mlruns'), env: { USER: 'tester' } });
  experimentId = (await client.setExperiment('atomic')).experimentId;
});
afterEach(async () => {
  await dir.cleanup();
});

describe('a batch with a key that is already a folder of other keys', () => {
  it('is refused with a clear error and writes nothing of the batch', async () => {
    const run = await client.startRun({ experimentId });
    // `loss/train` makes metrics/loss a folder: a metric `loss` cannot be a file there.
    await run.logMetric('loss/train', 0.5, { step: 0, timestamp: 1 });
    const error = await run
      .logBatch({
        params: [{ key: 'lr', value: '0.1' }],
        tags: [{ key: 'stage', value: 'fit' }],
        metrics: [
          { key: 'acc', value: 0.9, timestamp: 2, step: 0 },
          { key: 'loss', value: 0.4, timestamp: 2, step: 0 },
        ],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MlflowError);
    expect((error as MlflowError).code).toBe('INVALID_PARAMETER_VALUE');
    const { data } = await client.getRun(run.runId);
    expect(data.params).toEqual([]);
    expect(data.tags.find((tag) => tag.key === 'stage')).toBeUndefined();
    expect(data.metrics.map((metric) => metric.key)).toEqual(['loss/train']);
    // The batch sent again without the bad key: one point of acc, not two.
    await run.logBatch({ metrics: [{ key: 'acc', value: 0.9, timestamp: 2, step: 0 }] });
    expect(await client.getMetricHistory(run.runId, 'acc')).toHaveLength(1);
  });

  it('a param key under an existing param is refused before the batch writes anything', async () => {
    const run = await client.startRun({ experimentId });
    await run.logParam('model', 'lr');
    const error = await run
      .logBatch({
        params: [
          { key: 'seed', value: '1' },
          { key: 'model/C', value: '1' },
        ],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MlflowError);
    const { data } = await client.getRun(run.runId);
    expect(data.params).toEqual([{ key: 'model', value: 'lr' }]);
  });
});
