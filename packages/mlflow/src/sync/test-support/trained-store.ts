import { createTrackingClient } from '../../tracking-client.js';

/** A small seeded PRNG (mulberry32): the same seed gives the same numbers. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A file store made with the client as training makes one: two experiments (one with tags), four
 * runs with 20 params, step-wise metric histories (NaN and ∞ among the points, a point logged
 * twice, a nested key), tags, artifacts (JSON, a PNG-sized binary, a nested text file), a logged
 * model in two runs, one FAILED run; the registered model `heart-disease` with two versions (one
 * in `Staging`, tags, a description) and the alias `champion` on version 2.
 */
export async function buildTrainedStore(root: string): Promise<{ runIds: string[] }> {
  const client = createTrackingClient({ trackingUri: root, env: {} });
  const random = seeded(7);
  const main = await client.setExperiment('heart-disease-mlops');
  const other = await client.getExperiment(
    await client.createExperiment('heart-ablations', {
      tags: { team: 'ml', 'mlflow.note.content': 'ablations' },
    }),
  );
  const runIds: string[] = [];
  const base = 1_790_000_000_000;
  const plan = [
    { experimentId: main.experimentId, runName: 'logistic-regression', model: true },
    { experimentId: main.experimentId, runName: 'random-forest', model: true },
    { experimentId: other.experimentId, runName: 'no-scaling', model: false },
    { experimentId: other.experimentId, runName: 'broken', model: false, fail: true },
  ];
  for (const [index, item] of plan.entries()) {
    const run = await client.startRun({
      experimentId: item.experimentId,
      runName: item.runName,
      tags: { model_type: item.runName },
    });
    runIds.push(run.runId);
    await run.logParams(
      Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`param_${i}`, `${index}-${i}`])),
    );
    const points = [];
    for (let step = 0; step < 60; step++) {
      points.push({
        key: 'train_loss',
        value: 1 / (step + 1) + random() / 100,
        step,
        timestamp: base + index * 1000 + step,
      });
      if (step % 10 === 0)
        points.push({
          key: 'cv/fold_auc',
          value: 0.8 + random() / 10,
          step,
          timestamp: base + step,
        });
    }
    points.push({ key: 'odd', value: Number.NaN, step: 0, timestamp: base });
    points.push({ key: 'odd', value: Number.POSITIVE_INFINITY, step: 1, timestamp: base });
    points.push({ key: 'odd', value: 3, step: 2, timestamp: base });
    points.push({ key: 'odd', value: 3, step: 2, timestamp: base }); // logged twice
    await run.logBatch({ metrics: points });
    await run.logMetrics(
      { roc_auc: 0.9 + index / 100, accuracy: 0.85 },
      { timestamp: base + 99_999 },
    );
    await run.logDict({ roc_auc: 0.9 + index / 100 }, 'metrics.json');
    const png = new Uint8Array(2048).map(() => Math.floor(random() * 256));
    await run.logImage(png, 'plots/confusion_matrix.png');
    await run.logText(`notes for ${item.runName}\n`, 'docs/deep/notes.md');
    if (item.model) {
      await run.logModel({
        files: { 'model.json': JSON.stringify({ kind: item.runName, index }) },
        flavor: { name: 'heart', config: { model_file: 'model.json', model_format_version: 1 } },
        signature: {
          inputs: [{ name: 'age', type: 'double' }],
          outputs: [{ name: 'probability', type: 'double' }],
        },
        inputExample: [{ age: 63 }],
      });
    }
    await run.end(item.fail ? 'FAILED' : 'FINISHED');
  }
  const first = await client.registry.registerModel(`runs:/${runIds[0]}/model`, 'heart-disease', {
    tags: { selection_metric: 'roc_auc' },
  });
  await client.registry.transitionModelVersionStage('heart-disease', first.version, 'Staging');
  const second = await client.registry.registerModel(`runs:/${runIds[1]}/model`, 'heart-disease');
  await client.registry.updateModelVersion('heart-disease', second.version, {
    description: 'the forest',
  });
  await client.registry.setRegisteredModelAlias('heart-disease', 'champion', second.version);
  await client.registry.setRegisteredModelTag('heart-disease', 'owner', 'ml-team');
  await client.registry.updateRegisteredModel('heart-disease', {
    description: 'UCI heart disease classifier',
  });
  await client.close();
  return { runIds };
}
