/**
 * A separate process that logs into HEART_TEST_MLRUNS: `loop` logs runs until it is killed;
 * `once` logs one run of HEART_TEST_POINTS metric points and exits.
 */
import { createTrackingClient } from '../tracking-client.js';

const root = process.env.HEART_TEST_MLRUNS!;
const mode = process.env.HEART_TEST_MODE ?? 'once';
const points = Number(process.env.HEART_TEST_POINTS ?? 200);
const client = createTrackingClient({ trackingUri: root });

async function logOneRun(index: number): Promise<void> {
  const experiment = await client.setExperiment('heart-disease-mlops');
  await client.withRun(
    { experimentId: experiment.experimentId, runName: `writer-${process.pid}-${index}` },
    async (run) => {
      await run.logParams(
        Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`param_${i}`, i])),
      );
      for (let step = 0; step < points; step++)
        await run.logMetric('loss', 1 / (step + 1), { step });
      await run.setTags({ model_type: 'random_forest', 'mlflow.runName': `renamed-${index}` });
      await run.logDict({ index, pid: process.pid }, 'metrics.json');
      await run.logModel({
        files: { 'model.json': JSON.stringify({ index }) },
        flavor: { name: 'heart', config: { model_file: 'model.json' } },
      });
    },
  );
}

if (mode === 'loop') {
  process.send?.('ready');
  for (let index = 0; ; index++) await logOneRun(index);
} else {
  await logOneRun(0);
}
