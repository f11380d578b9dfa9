/**
 * Logs the seed's two runs into ./mlruns, or to a tracking server with
 * MLFLOW_TRACKING_URI=http://127.0.0.1:5000, as the Python pipeline did:
 * experiment heart-disease-mlops, runs logistic-regression and random-forest, with params, step
 * metrics, tags, a PNG and a JSON artifact, and a model. Then open them with
 *   mlflow ui --backend-store-uri file:./mlruns
 * Run: pnpm --filter @heart/mlflow example   (from the repository root: writes packages/mlflow/mlruns)
 */
import { deflateSync } from 'node:zlib';
import { createTrackingClient } from '../src/index.js';

/** A 64 × 64 PNG (a red–blue gradient), made here so the example needs no files. */
function gradientPng(): Uint8Array {
  const size = 64;
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x++) raw.set([x * 4, 64, y * 4], y * (size * 3 + 1) + 1 + x * 3);
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const client = createTrackingClient();
const experiment = await client.setExperiment('heart-disease-mlops');
for (const [runName, params, auc] of [
  ['logistic-regression', { C: 1, max_iter: 1000 }, 0.9665],
  ['random-forest', { n_estimators: 100, max_depth: 'None' }, 0.9426],
] as const) {
  await client.withRun(
    { experimentId: experiment.experimentId, runName, tags: { model_type: runName } },
    async (run) => {
      await run.logParams(params);
      for (const [step, loss] of [0.69, 0.45, 0.33, 0.29].entries())
        await run.logMetric('train_loss', loss, { step });
      await run.logMetrics({ roc_auc: auc, accuracy: 0.87 });
      await run.logImage(gradientPng(), 'plots/example.png');
      await run.logDict({ roc_auc: auc, accuracy: 0.87 }, 'metrics.json');
      const model = await run.logModel({
        files: { 'model.json': JSON.stringify({ kind: runName, formatVersion: 1 }) },
        flavor: {
          name: 'heart',
          config: { model_file: 'model.json', model_kind: runName, model_format_version: 1 },
        },
        signature: {
          inputs: [{ name: 'age', type: 'double' }],
          outputs: [{ name: 'probability', type: 'double' }],
        },
        inputExample: [{ age: 63 }],
      });
      console.log(`${runName}: run ${run.runId}, model ${model.modelUri}`);
    },
  );
}
await client.close();
console.log(
  client.trackingUri.startsWith('file:')
    ? `logged to ${client.trackingUri}; open with: mlflow ui --backend-store-uri ${client.trackingUri}`
    : `logged to ${client.trackingUri}; open it in a browser`,
);
