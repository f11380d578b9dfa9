import { mkdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ReplayServer, tempDir } from '@heart/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTrackingClient, type TrackingClient } from '../tracking-client.js';

const NAME = 'heart-disease';
const FILES: Record<string, string> = {
  MLmodel: 'artifact_path: model\nflavors: {}\n',
  'model.json': '{"kind":"logistic-regression"}',
  'sub/weights.bin': 'x'.repeat(4096),
};

let dir: { path: string; cleanup: () => Promise<void> };
let server: ReplayServer | undefined;
beforeEach(async () => {
  dir = await tempDir('heart-registry-download-');
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await dir.cleanup();
});

type Backend = 'file store' | 'server, proxied artifacts' | 'server, local artifacts';
const BACKENDS: readonly Backend[] = [
  'file store',
  'server, proxied artifacts',
  'server, local artifacts',
];

/**
 * A backend with one run whose `model/` holds FILES, registered twice: version 1 from
 * `runs:/<run>/model` (Production), version 2 by `registerModel` (alias `champion`).
 */
async function registered(backend: Backend) {
  let trackingUri = join(dir.path, 'mlruns');
  if (backend !== 'file store') {
    server =
      backend === 'server, proxied artifacts'
        ? new ReplayServer('artifactproxy')
        : new ReplayServer('localartifacts', join(dir.path, 'mlartifacts'));
    trackingUri = await server.start();
  }
  const client = createTrackingClient({ trackingUri, env: {} });
  const experiment = await client.setExperiment('heart-disease-mlops');
  const run = await client.startRun({ experimentId: experiment.experimentId, runName: 'rf' });
  for (const [path, text] of Object.entries(FILES)) await run.logText(text, `model/${path}`);
  await run.end();
  await client.registry.createRegisteredModel(NAME);
  await client.registry.createModelVersion({
    name: NAME,
    source: `runs:/${run.runId}/model`,
    runId: run.runId,
  });
  await client.registry.registerModel(`runs:/${run.runId}/model`, NAME);
  await client.registry.setRegisteredModelAlias(NAME, 'champion', 2);
  await client.registry.transitionModelVersionStage(NAME, 1, 'Production');
  const { artifactUri } = (await client.getRun(run.runId)).info;
  return { client, runId: run.runId, artifactUri };
}

async function expectModelFiles(path: string) {
  for (const [file, text] of Object.entries(FILES))
    expect(await readFile(join(path, file), 'utf8'), file).toBe(text);
}

/** Makes the registered files unreachable: only a cached copy can answer now. */
async function dropSource(backend: Backend, client: TrackingClient, runId: string) {
  if (backend === 'server, proxied artifacts') server!.artifacts.clear();
  else {
    const { artifactUri } = (await client.getRun(runId)).info;
    await rm(join(artifactUri.replace(/^file:\/\//, ''), 'model'), { recursive: true });
  }
}

for (const backend of BACKENDS) {
  describe(`resolveModelUri and downloadModel (${backend})`, () => {
    it('resolves and downloads all five URI forms', async () => {
      const { client, runId, artifactUri } = await registered(backend);
      const model = `${artifactUri}/model`;
      const cases = [
        [`models:/${NAME}/1`, '1', undefined],
        [`models:/${NAME}@champion`, '2', '2'],
        [`models:/${NAME}/production`, '1', '1'],
        [`models:/${NAME}/latest`, '2', '2'],
        [`runs:/${runId}/model`, undefined, undefined],
      ] as const;
      for (const [uri, cacheVersion, knownVersion] of cases) {
        const resolved = await client.registry.resolveModelUri(uri);
        expect(resolved.uri).toBe(uri);
        expect(resolved.artifactUri, uri).toBe(model);
        expect(resolved.runId, uri).toBe(runId);
        expect(resolved.version?.version, uri).toBe(knownVersion);
        const cacheDir = join(dir.path, 'cache');
        const downloaded = await client.registry.downloadModel(uri, { cacheDir });
        await expectModelFiles(downloaded.path);
        expect(downloaded.runId).toBe(runId);
        expect(downloaded.version?.version).toBe(knownVersion);
        expect(downloaded.path).toBe(
          cacheVersion
            ? join(cacheDir, 'models', NAME, cacheVersion, 'model')
            : join(cacheDir, 'runs', runId, '%2Fmodel', 'model'),
        );
      }
      if (server) expect(server.received.some((r) => r.path.includes('get-artifact'))).toBe(false);
      await client.close();
    });

    it('uses a complete cached copy: the second download makes no artifact request', async () => {
      const { client, runId } = await registered(backend);
      const cacheDir = join(dir.path, 'cache');
      const uri = `models:/${NAME}@champion`;
      const first = await client.registry.downloadModel(uri, { cacheDir });
      expect(first.fromCache).toBe(false);
      // A crashed download left a temporary folder: never used.
      await mkdir(join(cacheDir, '.tmp-0123456789abcdef', 'model'), { recursive: true });
      const artifactCalls = () =>
        server?.received.filter((r) => r.path.startsWith('/api/2.0/mlflow-artifacts')).length;
      const before = artifactCalls();
      await dropSource(backend, client, runId);
      const second = await client.registry.downloadModel(uri, { cacheDir });
      expect(second).toMatchObject({ path: first.path, fromCache: true });
      expect(second.version?.version).toBe('2');
      expect(artifactCalls()).toBe(before);
      await expectModelFiles(second.path);
      await client.close();
    });

    it('never uses a half-written entry (no manifest, a truncated file): downloads it again', async () => {
      const { client } = await registered(backend);
      const cacheDir = join(dir.path, 'cache');
      const uri = `models:/${NAME}@champion`;
      const entry = dirname((await client.registry.downloadModel(uri, { cacheDir })).path);
      await rm(join(entry, 'manifest.json'));
      const refreshed = await client.registry.downloadModel(uri, { cacheDir });
      expect(refreshed.fromCache).toBe(false);
      await expectModelFiles(refreshed.path);
      await truncate(join(refreshed.path, 'sub', 'weights.bin'), 10);
      const again = await client.registry.downloadModel(uri, { cacheDir });
      expect(again.fromCache).toBe(false);
      await expectModelFiles(again.path);
      const manifest = JSON.parse(await readFile(join(entry, 'manifest.json'), 'utf8'));
      expect(manifest.files.map((file: { path: string }) => file.path)).toEqual(
        Object.keys(FILES).sort(),
      );
      expect(manifest.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
      expect((await client.registry.downloadModel(uri, { cacheDir })).fromCache).toBe(true);
      await client.close();
    });

    it('answers an unknown alias with 400 and an unknown version with 404, as recorded', async () => {
      const { client } = await registered(backend);
      const cacheDir = join(dir.path, 'cache');
      await expect(
        client.registry.downloadModel(`models:/${NAME}@nosuchalias`, { cacheDir }),
      ).rejects.toMatchObject({
        code: 'INVALID_PARAMETER_VALUE',
        status: 400,
        message: expect.stringMatching(/Registered model alias nosuchalias not found\.$/),
      });
      await expect(
        client.registry.downloadModel(`models:/${NAME}/99`, { cacheDir }),
      ).rejects.toMatchObject({
        code: 'RESOURCE_DOES_NOT_EXIST',
        status: 404,
        message: expect.stringMatching(
          /Model Version \(name=heart-disease, version=99\) not found$/,
        ),
      });
      await expect(client.registry.resolveModelUri('models:/a/b/c')).rejects.toMatchObject({
        code: 'INVALID_PARAMETER_VALUE',
      });
      await client.close();
    });
  });
}

describe('resolving against a server', () => {
  it('makes exactly the calls of SPEC §8.3', async () => {
    const { client, runId } = await registered('server, proxied artifacts');
    const calls = async (uri: string) => {
      const before = server!.received.length;
      await client.registry.resolveModelUri(uri);
      return server!.received
        .slice(before)
        .map((r) => `${r.method} ${r.path.split('/mlflow/')[1]}`);
    };
    expect(await calls(`models:/${NAME}/1`)).toEqual([
      'GET model-versions/get-download-uri',
      'GET runs/get',
    ]);
    expect(await calls(`models:/${NAME}@champion`)).toEqual([
      'GET registered-models/alias',
      'GET model-versions/get-download-uri',
    ]);
    expect(await calls(`models:/${NAME}/Production`)).toEqual([
      'POST registered-models/get-latest-versions',
      'GET model-versions/get-download-uri',
      'GET runs/get',
    ]);
    expect(await calls(`models:/${NAME}/latest`)).toEqual([
      'POST registered-models/get-latest-versions',
      'GET model-versions/get-download-uri',
    ]);
    expect(await calls(`runs:/${runId}/model`)).toEqual(['GET runs/get']);
    const latest = server!.received.filter((r) => r.path.endsWith('get-latest-versions'));
    expect(latest.map((r) => r.json)).toEqual([
      { name: NAME, stages: ['Production'] },
      { name: NAME },
    ]);
    await client.close();
  });

  it('caches under $XDG_CACHE_HOME/heart/models by default', async () => {
    const root = join(dir.path, 'mlruns');
    const client = createTrackingClient({
      trackingUri: root,
      env: { XDG_CACHE_HOME: join(dir.path, 'xdg') },
    });
    const experiment = await client.setExperiment('e');
    const run = await client.startRun({ experimentId: experiment.experimentId });
    await run.logText('artifact_path: model\n', 'model/MLmodel');
    await run.end();
    await writeFile(join(dir.path, 'unrelated'), '');
    const { path } = await client.registry.downloadModel(`runs:/${run.runId}/model`);
    expect(path.startsWith(join(dir.path, 'xdg', 'heart', 'models', 'runs'))).toBe(true);
  });
});
