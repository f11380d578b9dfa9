/**
 * A separate process that logs into HEART_TEST_MLRUNS: `loop` logs runs until it is killed;
 * `once` logs one run of HEART_TEST_POINTS metric points and exits; `model` logs a model (twice
 * to the same HEART_TEST_ARTIFACT_PATH with HEART_TEST_RELOG=1) and SIGKILLs itself just before
 * the HEART_TEST_KILL_AT-th rename of the last logModel.
 */
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
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

/**
 * Once armed, SIGKILLs this process just before its `killAt`-th `rename` (every artifact file,
 * staged or not, and every folder swap lands by one): a crash at an exact point of `logModel`.
 * Node's own modules see the wrapper through `syncBuiltinESMExports`.
 */
function killBeforeRename(killAt: number): () => void {
  const original = fsp.rename;
  let armed = false;
  let count = 0;
  fsp.rename = ((from, to) => {
    if (armed && ++count === killAt) process.kill(process.pid, 'SIGKILL');
    return original(from, to);
  }) as typeof fsp.rename;
  syncBuiltinESMExports();
  return () => {
    armed = true;
  };
}

/** The model files of `version`: contents name the version, so a mix of two is visible. */
function modelFiles(version: string): Record<string, string> {
  const names = ['part-0.bin', 'part-1.bin', 'part-2.bin', 'weights/layer-0.bin'];
  return Object.fromEntries(names.map((name) => [name, `${version}:${name}:`.repeat(500)]));
}

async function logModelAndDie(): Promise<void> {
  const arm = killBeforeRename(Number(process.env.HEART_TEST_KILL_AT));
  const artifactPath = process.env.HEART_TEST_ARTIFACT_PATH ?? 'model';
  const run = await client.startRun({
    experimentName: 'heart-disease-mlops',
    runName: `kill-${process.env.HEART_TEST_KILL_AT}`,
  });
  const logVersion = (version: string) =>
    run.logModel({
      artifactPath,
      files: modelFiles(version),
      flavor: { name: 'heart', config: { model_file: 'part-0.bin', version } },
    });
  if (process.env.HEART_TEST_RELOG === '1') await logVersion('v1');
  arm();
  await logVersion(process.env.HEART_TEST_RELOG === '1' ? 'v2' : 'v1');
}

if (mode === 'loop') {
  process.send?.('ready');
  for (let index = 0; ; index++) await logOneRun(index);
} else if (mode === 'model') {
  await logModelAndDie();
} else {
  await logOneRun(0);
}
