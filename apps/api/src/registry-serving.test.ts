import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { createTrackingClient } from '@heart/mlflow';
import { type Pipeline, pipelineFiles } from '@heart/pipeline';
import { createManualClock, ReplayServer, tempDir } from '@heart/test-support';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { createMetrics } from './metrics.js';
import type { ModelHolder } from './model-holder.js';
import { modelSource } from './model-source.js';
import { createModelSupervisor } from './model-supervisor.js';
import { clevelandRows, patientOf, writeModelDir } from './test-support/fixtures.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let pipelines: Pipeline[];
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  work = await tempDir('heart-api-registry-');
  pipelines = [];
  for (const kind of ['random-forest', 'logistic-regression'] as const) {
    const fixture = await writeModelDir(kind);
    cleanups.push(fixture.cleanup);
    pipelines.push(fixture.pipeline);
  }
});
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  await work.cleanup();
});

/** Logs each pipeline as a run's model and registers it: versions 1, 2 of heart-disease. */
async function publish(trackingUri: string): Promise<string[]> {
  const client = createTrackingClient({ trackingUri, env: {} });
  const runIds: string[] = [];
  for (const [index, pipeline] of pipelines.entries()) {
    const runId = await client.withRun(
      { experimentName: 'heart-disease-mlops', runName: `v${index + 1}` },
      async (run) => {
        await run.logModel({
          files: pipelineFiles(pipeline, 'mlflow-model'),
          flavor: { name: 'heart', config: { model_file: 'model.json' } },
        });
        return run.runId;
      },
    );
    runIds.push(runId);
    await client.registry.registerModel(`runs:/${runId}/model`, 'heart-disease');
  }
  await client.registry.setRegisteredModelAlias('heart-disease', 'champion', '1');
  await client.close();
  return runIds;
}

const backends = [
  ['the file store', async () => ({ uri: join(work.path, 'mlruns'), stop: async () => {} })],
  [
    'a tracking server (MLflow 2.17.2 replay, proxied artifacts)',
    async () => {
      const server = new ReplayServer('artifactproxy');
      await server.start();
      return { uri: server.url, stop: () => server.stop() };
    },
  ],
] as const;

describe.each(backends)('MODEL_URI=models:/heart-disease@champion on %s', (_name, backend) => {
  it('follows an alias move under load: every answer 200, each wholly from one version', async () => {
    const { uri, stop } = await backend();
    try {
      await publish(uri);
      const env = { MLFLOW_TRACKING_URI: uri };
      const holder: ModelHolder = { bundle: undefined };
      const clock = createManualClock();
      const metrics = createMetrics();
      const logger = pino({ level: 'silent' });
      const source = modelSource(
        {
          modelUri: 'models:/heart-disease@champion',
          modelDir: join(work.path, 'unused'),
          batchLimit: 1000,
          root: work.path,
          cacheDir: join(work.path, `cache-${Math.random().toString(36).slice(2)}`),
        },
        env,
      );
      const supervisor = createModelSupervisor({
        holder,
        source,
        metrics,
        logger,
        pollMs: 30_000,
        clock,
      });
      expect(await supervisor.reload('start')).toBeUndefined();
      supervisor.start();
      expect(holder.bundle?.registeredModel).toEqual({
        name: 'heart-disease',
        version: '1',
        alias: 'champion',
      });
      const app = createApp({
        config: { bodyLimit: 1_048_576, batchLimit: 1000, threshold: undefined },
        holder,
        metrics,
        logger,
      });
      const server: Server = createServer(app.handle);
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/predict`;
      try {
        const patients = (await clevelandRows()).slice(0, 40).map(patientOf);
        const expected = pipelines.map((pipeline) =>
          patients.map((p) => pipeline.predictProbaRow(p)),
        );
        const answers: { status: number; version: string; probability: number; index: number }[] =
          [];
        let flipped: Promise<void> | undefined;
        // Each worker keeps sending until the new version has answered it (at most 1000 times).
        const worker = async (offset: number) => {
          for (let i = 0, seenNew = false; i < 1000 && !(seenNew && i >= 60); i++) {
            const index = (offset * 7 + i) % patients.length;
            const response = await fetch(url, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(patients[index]),
            });
            const body = (await response.json()) as {
              probability: number;
              model: { registeredVersion: string };
            };
            const version = body.model.registeredVersion;
            seenNew ||= version === '2';
            answers.push({
              status: response.status,
              version,
              probability: body.probability,
              index,
            });
            if (answers.length === 160) {
              // A third of the way in: move the alias; the next poll swaps the model.
              flipped = (async () => {
                const client = createTrackingClient({ trackingUri: uri, env: {} });
                await client.registry.setRegisteredModelAlias('heart-disease', 'champion', '2');
                await client.close();
                clock.advance(30_000);
              })();
            }
          }
        };
        await Promise.all(Array.from({ length: 8 }, (_, offset) => worker(offset)));
        await flipped;
        await supervisor.poll();
        expect(answers.length).toBeGreaterThanOrEqual(480);
        expect(answers.every((answer) => answer.status === 200)).toBe(true);
        for (const answer of answers) {
          const v = Number(answer.version) - 1;
          expect([0, 1]).toContain(v);
          expect(answer.probability).toBe(expected[v]![answer.index]);
        }
        const counts = ['1', '2'].map((v) => answers.filter((a) => a.version === v).length);
        expect(counts[0]).toBeGreaterThanOrEqual(160);
        expect(counts[1]).toBeGreaterThan(0);
        expect(holder.bundle?.registeredModel?.version).toBe('2');
        expect(await metrics.registry.getSingleMetricAsString('heart_model_swaps_total')).toMatch(
          /heart_model_swaps_total 1$/m,
        );
        const card = (await (await fetch(url.replace('/predict', '/model'))).json()) as {
          registeredModel: unknown;
          runId: string;
        };
        expect(card.registeredModel).toEqual({
          name: 'heart-disease',
          version: '2',
          alias: 'champion',
        });
        expect(card.runId).toBe(holder.bundle?.runId);
      } finally {
        supervisor.stop();
        server.closeAllConnections();
        await new Promise((done) => server.close(done));
      }
    } finally {
      await stop();
    }
  }, 60_000);
});
