import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFiles, ReplayServer, tempDir } from '@heart/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MlflowError } from '../errors.js';
import { inspectFileStore } from '../file-store/inspect-file-store.js';
import { createTrackingClient } from '../tracking-client.js';
import { putLocalFolder } from './local-folder.js';

const flavor = { name: 'heart', config: { model_file: 'model.json' } };
const bytes = (text: string) => new TextEncoder().encode(text);

let dir: { path: string; cleanup: () => Promise<void> };
let root: string;
beforeEach(async () => {
  dir = await tempDir('heart-local-folder-');
  root = join(dir.path, 'mlruns');
});
afterEach(async () => {
  await dir.cleanup();
});

async function startRun() {
  const client = createTrackingClient({ trackingUri: root });
  const run = await client.startRun({ experimentName: 'heart-disease-mlops' });
  return { client, run, artifacts: fileURLToPath(run.info.artifactUri) };
}

/** An old staging container (a killed writer's), for the sweep to find. */
async function leftover(folder: string, name: string): Promise<void> {
  await mkdir(join(folder, name, 'model'), { recursive: true });
  await writeFile(join(folder, name, 'model', 'part.bin'), 'half');
  await utimes(join(folder, name), new Date(0), new Date(0));
}

describe('logModel on a local artifact root writes the model folder whole', () => {
  it('writes exactly the model files, byte for byte, and leaves no staging folder', async () => {
    const { run, artifacts } = await startRun();
    const weights = Uint8Array.from({ length: 3000 }, (_, i) => (i * 31) % 256);
    const logged = await run.logModel({
      files: { 'model.json': '{"kind":"test"}', 'data/weights.bin': weights },
      flavor,
      inputExample: [{ age: 63 }],
    });
    const model = join(artifacts, 'model');
    expect(await listFiles(model)).toEqual([
      'MLmodel',
      'data/weights.bin',
      'input_example.json',
      'model.json',
      'serving_input_example.json',
    ]);
    expect([...logged.files].sort()).toEqual(await listFiles(model));
    expect(new Uint8Array(await readFile(join(model, 'data', 'weights.bin')))).toEqual(weights);
    expect(await readFile(join(model, 'model.json'), 'utf8')).toBe('{"kind":"test"}');
    expect(await readFile(join(model, 'MLmodel'), 'utf8')).toContain(
      `model_uuid: ${logged.modelUuid}`,
    );
    expect(await readdir(join(root, '.trash'))).toEqual([]);
    expect(await readdir(artifacts)).toEqual(['model']);
    expect(await inspectFileStore(root)).toMatchObject({ readable: true, problems: [] });
  });

  it('replaces a model logged again to the same path whole: no file of the old one stays', async () => {
    const { client, run, artifacts } = await startRun();
    const first = await run.logModel({
      artifactPath: 'a/b/model',
      files: { 'model.json': '{"v":1}', 'old-only.json': '{}' },
      flavor,
    });
    const second = await run.logModel({
      artifactPath: 'a/b/model',
      files: { 'model.json': '{"v":2}' },
      flavor,
    });
    const model = join(artifacts, 'a', 'b', 'model');
    expect(await listFiles(model)).toEqual(['MLmodel', 'model.json']);
    expect(await readFile(join(model, 'model.json'), 'utf8')).toBe('{"v":2}');
    expect(await readFile(join(model, 'MLmodel'), 'utf8')).toContain(second.modelUuid);
    expect(await readdir(join(root, '.trash'))).toEqual([]);
    expect((await client.listArtifacts(run.runId, 'a/b')).map((file) => file.path)).toEqual([
      'a/b/model',
    ]);
    const history = (await client.getRun(run.runId)).data.tags.find(
      (tag) => tag.key === 'mlflow.log-model.history',
    )!;
    expect(
      JSON.parse(history.value).map((entry: { model_uuid: string }) => entry.model_uuid),
    ).toEqual([first.modelUuid, second.modelUuid]);
  });

  it('replaces a file of the same name, and refuses a path leaving the artifacts', async () => {
    const { client, run, artifacts } = await startRun();
    await run.logText('not a model', 'model');
    await run.logModel({ files: { 'model.json': '{}' }, flavor });
    expect(await listFiles(join(artifacts, 'model'))).toEqual(['MLmodel', 'model.json']);
    const refused = await client
      .logModel(run.runId, {
        artifactPath: 'x/../../escape',
        files: { 'model.json': '{}' },
        flavor,
      })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(MlflowError);
    expect((refused as MlflowError).code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('leaves the old folder as it was when a write fails, and removes what it staged', async () => {
    const { run, artifacts } = await startRun();
    await run.logModel({ files: { 'model.json': '{"v":1}' }, flavor });
    // `x` a file and then a folder: the second write fails (ENOTDIR) mid-model.
    await expect(
      run.logModel({ files: { 'model.json': '{"v":2}', x: 'file', 'x/y': 'below' }, flavor }),
    ).rejects.toThrow();
    expect(await listFiles(join(artifacts, 'model'))).toEqual(['MLmodel', 'model.json']);
    expect(await readFile(join(artifacts, 'model', 'model.json'), 'utf8')).toBe('{"v":1}');
    expect(await readdir(join(root, '.trash'))).toEqual([]);
  });
});

describe('putLocalFolder stages where no MLflow reader looks', () => {
  const files = [
    ['model.json', bytes('{}')],
    ['MLmodel', bytes('artifact_path: model\n')],
  ] as const;

  it("uses the store's .trash for artifacts inside a file store, found from the path alone", async () => {
    const { artifacts } = await startRun();
    const runFolder = join(artifacts, '..');
    await leftover(join(root, '.trash'), 'heart-staging-0123456789abcdef');
    await leftover(runFolder, '.heart-staging-0123456789abcdef');
    // As a tracking server backed by this store would: no store root given.
    await putLocalFolder(artifacts, 'model', files);
    expect(await listFiles(join(artifacts, 'model'))).toEqual(['MLmodel', 'model.json']);
    // Staged (and swept) in .trash; the run folder was not used.
    expect(await readdir(join(root, '.trash'))).toEqual([]);
    expect((await readdir(runFolder)).filter((name) => name.startsWith('.'))).toEqual([
      '.heart-staging-0123456789abcdef',
    ]);
  });

  it("stages beside a server's artifact folder (the run's folder), never inside it", async () => {
    const artifacts = join(
      dir.path,
      'mlartifacts',
      '1',
      '0123456789abcdef0123456789abcdef',
      'artifacts',
    );
    const runFolder = join(artifacts, '..');
    await leftover(runFolder, '.heart-staging-fedcba9876543210');
    await putLocalFolder(artifacts, 'nested/model', files);
    await putLocalFolder(artifacts, 'nested/model', files);
    expect(await listFiles(artifacts)).toEqual(['nested/model/MLmodel', 'nested/model/model.json']);
    expect(await readdir(runFolder)).toEqual(['artifacts']);
    expect(await readdir(join(dir.path, 'mlartifacts', '1'))).toEqual([
      '0123456789abcdef0123456789abcdef',
    ]);
  });

  it('writes file by file, in order, for a model at the artifact root itself', async () => {
    const artifacts = join(dir.path, 'elsewhere', 'artifacts');
    await putLocalFolder(artifacts, '', files);
    expect(await listFiles(join(dir.path, 'elsewhere'))).toEqual([
      'artifacts/MLmodel',
      'artifacts/model.json',
    ]);
  });
});

describe('logModel through a tracking server', () => {
  for (const scenario of ['artifactproxy', 'localartifacts'] as const) {
    it(`sends the model (${scenario}): proxied file by file with MLmodel last, or local and whole`, async () => {
      const destination = join(dir.path, 'mlartifacts');
      const server = new ReplayServer(scenario, destination);
      await server.start();
      try {
        const client = createTrackingClient({ trackingUri: server.url });
        const run = await client.startRun({ experimentName: 'heart-disease-mlops' });
        await run.logModel({ files: { 'model.json': '{}', 'more.json': '[]' }, flavor });
        await run.logModel({ files: { 'model.json': '{"v":2}' }, flavor });
        await run.end();
        await client.close();
        const puts = server.received
          .filter((received) => received.method === 'PUT')
          .map((received) => received.path.split('/artifacts/').at(-1));
        if (scenario === 'artifactproxy') {
          expect(puts).toEqual([
            'model/model.json',
            'model/more.json',
            'model/MLmodel',
            'model/model.json',
            'model/MLmodel',
          ]);
          return;
        }
        expect(puts).toEqual([]);
        const artifacts = fileURLToPath(new URL(`file://${run.info.artifactUri}`));
        expect(await listFiles(join(artifacts, '..'))).toEqual([
          'artifacts/model/MLmodel',
          'artifacts/model/model.json',
        ]);
      } finally {
        await server.stop();
      }
    });
  }
});
