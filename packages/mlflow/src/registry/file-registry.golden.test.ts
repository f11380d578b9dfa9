import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createManualClock, listFiles, MLFLOW_GOLDEN_DIR, tempDir } from '@heart/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore } from '../file-store/file-store.js';
import { inspectFileStore } from '../file-store/inspect-file-store.js';
import { createTrackingClient } from '../tracking-client.js';
import { ModelRegistry } from './model-registry.js';
import { parseModelVersion, parseModelVersions, parseRegisteredModel } from './registry-wire.js';
import {
  CALLS,
  type CallContext,
  exchange,
  MODEL_FILES,
  type RecordedCall,
  recordedError,
  runCall,
} from './test-support/python-calls.js';

const TREE = join(MLFLOW_GOLDEN_DIR, 'registry', 'filestore-tree');
/** What the recording's ids and root were (SPEC §7.1): heart's are mapped onto them. */
const RECORDED = {
  root: '/ROOT/reg-file/mlruns',
  experiment: '769307454082494747',
  r1: 'fdd69ada41a94fb29ebe5d5b471debe0',
  r2: '24d8b5bd5b21412fbab38a350bce293b',
};

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  dir = await tempDir('heart-registry-fs-');
});
afterEach(async () => {
  await dir.cleanup();
});

/** The recording's setup: experiment `heart-registry`, two runs with a `model/` folder each. */
async function setup(root: string): Promise<CallContext & { normalise(text: string): string }> {
  const client = createTrackingClient({ trackingUri: root, env: {} });
  const experiment = await client.setExperiment('heart-registry');
  const runs: string[] = [];
  for (const [i, c] of [1.0, 0.5].entries()) {
    await client.withRun(
      { experimentId: experiment.experimentId, runName: `logreg-${i + 1}` },
      async (run) => {
        await run.logParam('C', c);
        for (const file of MODEL_FILES)
          await run.logText(`${file} of run ${i + 1}`, `model/${file}`);
        runs.push(run.runId);
      },
    );
  }
  const [r1, r2] = runs as [string, string];
  // Registry timestamps from a manual clock, one millisecond per write: orders never tie.
  const clock = createManualClock(1_796_110_682_000);
  const now = () => {
    clock.advance(1);
    return clock.now();
  };
  const registry = new ModelRegistry(new FileStore(root, { now }), {});
  const normalise = (text: string) =>
    text
      .replaceAll(pathToFileURL(root).href, RECORDED.root)
      .replaceAll(root, RECORDED.root)
      .replaceAll(experiment.experimentId, RECORDED.experiment)
      .replaceAll(r1, RECORDED.r1)
      .replaceAll(r2, RECORDED.r2);
  return {
    registry,
    r1,
    r2,
    art1: (await client.getRun(r1)).info.artifactUri,
    cacheDir: () => mkdtemp(join(dir.path, 'cache-')),
    normalise,
  };
}

/** Timestamps as 0: the recording's clock is not ours. */
const untimed = (text: string) => text.replace(/\b1\d{12}\b/g, '0');

/** The public shape of a recorded answer, for comparing with what heart returned. */
function expectedResult(call: RecordedCall, normalise: (text: string) => string): unknown {
  const answers = call.seqs
    .map(exchange)
    .filter(
      (item) => item.path.startsWith('/api/2.0/mlflow/') && item.response_body.kind === 'json',
    );
  const last = answers.at(-1);
  if (!last) return undefined;
  const json = JSON.parse(
    untimed(normalise(JSON.stringify((last.response_body as { json: unknown }).json))),
  );
  if (json.registered_model) return parseRegisteredModel(json.registered_model);
  if (json.model_version) return parseModelVersion(json.model_version);
  if (json.artifact_uri) return json.artifact_uri;
  const token = json.next_page_token ? { nextPageToken: json.next_page_token } : {};
  if (last.path.endsWith('get-latest-versions')) return parseModelVersions(json.model_versions);
  if (last.path.endsWith('model-versions/search'))
    return { modelVersions: parseModelVersions(json.model_versions), ...token };
  if (last.path.endsWith('registered-models/search'))
    return { registeredModels: (json.registered_models ?? []).map(parseRegisteredModel), ...token };
  return undefined;
}

describe('the file-store registry against MLflow 2.17.2 (golden/registry, file-store server)', () => {
  it('answers the recorded call sequence as the file-store server did and writes its tree', async () => {
    const root = join(dir.path, 'mlruns');
    const context = await setup(root);
    const { normalise } = context;
    const problems: string[] = [];
    const calls = CALLS.filter(
      (call) =>
        call.scenario.startsWith('registry-filestore-') && !call.scenario.endsWith('-setup'),
    );
    let compared = 0;
    for (const call of calls) {
      const outcome = await runCall(call, context);
      if (!outcome) continue;
      const wanted = recordedError(call);
      if (wanted) {
        const got = outcome.error;
        const label = `${call.call}: expected ${wanted.code} ${wanted.message}`;
        if (!got) problems.push(`${label}, got a result`);
        else if (
          normalise(got.message) !== wanted.message ||
          (wanted.code && got.code !== wanted.code) ||
          (wanted.status && got.status !== wanted.status)
        )
          problems.push(`${label}, got ${got.code} ${got.status} ${got.message}`);
        compared++;
        continue;
      }
      if (outcome.error) {
        problems.push(`${call.call}: ${outcome.error.message}`);
        continue;
      }
      if (call.call.startsWith('download_artifacts') || call.call.startsWith('pyfunc')) {
        const { path } = outcome.result as { path: string };
        expect((await readdir(path)).sort(), call.call).toEqual(MODEL_FILES);
        compared++;
        continue;
      }
      const expected = expectedResult(call, normalise);
      if (expected === undefined) continue;
      const got = JSON.parse(untimed(normalise(JSON.stringify(outcome.result))));
      expect(got, call.call).toEqual(expected);
      compared++;
    }
    expect(problems).toEqual([]);
    expect(compared).toBeGreaterThan(80);

    // The tree also holds `heart-bare`, made after the recorded sequence.
    await context.registry.createRegisteredModel('heart-bare');
    await context.registry.createModelVersion({
      name: 'heart-bare',
      source: `runs:/${context.r1}/model`,
      runId: context.r1,
    });
    const files = await listFiles(join(root, 'models'));
    expect(files).toEqual(await listFiles(join(TREE, 'models')));
    for (const file of files) {
      const mine = untimed(normalise(await readFile(join(root, 'models', file), 'utf8')));
      const golden = untimed(await readFile(join(TREE, 'models', file), 'utf8'));
      expect(mine, file).toBe(golden);
    }
    // Nothing half-built left behind, and MLflow can list everything.
    expect(await readdir(join(root, '.trash'))).toEqual([]);
    const report = await inspectFileStore(root);
    expect(report.problems).toEqual([]);
    expect(report.readable).toBe(true);
  });

  it('reads the tree MLflow wrote and answers what the recorded server answered', async () => {
    const root = join(dir.path, 'mlruns');
    await cp(join(TREE, 'models'), join(root, 'models'), { recursive: true });
    for (const file of (await listFiles(root)).filter((path) => path.endsWith('meta.yaml'))) {
      const text = await readFile(join(root, file), 'utf8');
      await writeFile(join(root, file), text.replaceAll(RECORDED.root, root));
    }
    const { registry } = createTrackingClient({ trackingUri: root, env: {} });
    const answer = (seq: number) =>
      JSON.parse(
        JSON.stringify((exchange(seq).response_body as { json: unknown }).json).replaceAll(
          RECORDED.root,
          root,
        ),
      );
    const model = answer(336).registered_model;
    expect(await registry.getRegisteredModel('heart-classifier')).toEqual(
      parseRegisteredModel(model),
    );
    expect(await registry.getLatestVersions('heart-classifier')).toEqual(
      parseModelVersions(model.latest_versions),
    );
    expect(await registry.getModelVersionByAlias('heart-classifier', 'champion')).toEqual(
      parseModelVersion(answer(293).model_version),
    );
    expect(await registry.getModelVersionDownloadUri('heart-classifier', 2)).toBe(
      answer(294).artifact_uri,
    );
    expect(await registry.getModelVersionDownloadUri('heart-classifier', 1)).toBe(
      answer(284).artifact_uri,
    );
    expect(await registry.searchRegisteredModels({ filter: "name LIKE 'heart-c%'" })).toEqual({
      registeredModels: answer(338).registered_models.map(parseRegisteredModel),
    });
    const bare = await registry.searchModelVersions({ filter: "name = 'heart-bare'" });
    expect(bare.modelVersions.map((version) => [version.version, version.source])).toEqual([
      ['1', `runs:/${RECORDED.r1}/model`],
    ]);
    await expect(registry.getModelVersion('heart-classifier', '3')).rejects.toMatchObject({
      code: 'RESOURCE_DOES_NOT_EXIST',
      status: 404,
      message: 'Model Version (name=heart-classifier, version=3) not found',
    });
    await expect(
      registry.getModelVersionByAlias('heart-classifier', 'challenger'),
    ).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
      status: 400,
      message: (answer(277) as { message: string }).message,
    });
  });
});
