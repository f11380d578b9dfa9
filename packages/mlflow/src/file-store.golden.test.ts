import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { copyGoldenTree, listFiles, MLFLOW_GOLDEN_DIR, tempDir } from '@heart/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inspectFileStore } from './file-store/inspect-file-store.js';
import { pythonJsonDumps } from './internal/python-format.js';
import { currentUser } from './internal/system-tags.js';
import { parseYaml, toYaml } from './internal/yaml.js';
import { createTrackingClient } from './tracking-client.js';

const PY = join(MLFLOW_GOLDEN_DIR, 'filestore-python-client');
const PY_EXPERIMENT = '906493834355891645';
const PY_RF = '182ce3c8616a4b6ea4aeecbf064850e9';
const PY_LR = 'c474fea53df8437bb74d74a29361683d';
const HAND = join(MLFLOW_GOLDEN_DIR, 'filestore-handwritten');
const HAND_EXPERIMENT = '271828182845904523';
const HAND_RUN = 'a5a6ae6d4a2e3f5da2fc137d4a412154';

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.cleanup();
});

/** Logs the seed's two runs exactly as the golden Python script did. */
async function logSeedRuns(root: string) {
  const client = createTrackingClient({ trackingUri: root });
  const experiment = await client.setExperiment('heart-disease-mlops');
  const rf = await client.withRun(
    { experimentId: experiment.experimentId, runName: 'random-forest' },
    async (run) => {
      await run.logParams({ n_estimators: 100, max_depth: 5 });
      for (const [step, value] of [0.7, 0.5, 0.3].entries())
        await run.logMetric('train_loss', value, { step });
      await run.logMetrics({ accuracy: 0.85, roc_auc: 0.9123 });
      await run.setTag('model_type', 'random_forest');
      await run.logDict({ accuracy: 0.85, classes: [0, 1] }, 'metrics.json');
      await run.logArtifact(
        join(PY, PY_EXPERIMENT, PY_RF, 'artifacts/plots/confusion_matrix.png'),
        'plots',
      );
      await run.logModel({
        files: { 'model.json': '{"kind":"random-forest","formatVersion":1}' },
        flavor: { name: 'heart', config: { model_file: 'model.json', model_format_version: 1 } },
        signature: {
          inputs: [
            { name: 'age', type: 'long' },
            { name: 'sex', type: 'long' },
            { name: 'chol', type: 'double' },
            { name: 'thalach', type: 'double' },
          ],
          outputs: [{ type: 'tensor', 'tensor-spec': { dtype: 'int64', shape: [-1] } }],
        },
        inputExample: [
          { age: 73, sex: 1, chol: 302.87921002342256, thalach: 182.46333296970005 },
          { age: 76, sex: 0, chol: 167.85468383809263, thalach: 136.1659648867119 },
        ],
      });
      return run.runId;
    },
  );
  let lr = '';
  await client
    .withRun(
      { experimentId: experiment.experimentId, runName: 'logistic-regression' },
      async (run) => {
        lr = run.runId;
        await run.logParam('C', '1.0');
        throw new Error('injected failure');
      },
    )
    .catch(() => undefined);
  return { experimentId: experiment.experimentId, rf, lr };
}

/** Replaces ids, the mlruns root and times, so two trees written at different moments compare. */
function normalise(text: string, ids: Record<string, string>, root: string): string {
  let out = text.replaceAll(root, 'ROOT');
  for (const [id, name] of Object.entries(ids)) out = out.replaceAll(id, name);
  return out
    .replace(/^(creation_time|last_update_time|start_time|end_time): \d+$/gm, '$1: TIME')
    .replace(/^\d{13} /gm, 'TIME ');
}

describe('the file store writes what MLflow 2.17.2 writes (golden filestore-python-client)', () => {
  it('writes the same files, byte for byte where the values are the same', async () => {
    const root = join(dir.path, 'mlruns');
    const ours = await logSeedRuns(root);
    const ourIds = { [ours.experimentId]: 'EXP', [ours.rf]: 'RF', [ours.lr]: 'LR' };
    const goldenIds = { [PY_EXPERIMENT]: 'EXP', [PY_RF]: 'RF', [PY_LR]: 'LR' };
    const skip = (path: string) =>
      path.includes('/artifacts/model/') ||
      /tags\/mlflow\.(source\.name|source\.git\.commit|log-model\.history|user)$/.test(path);
    const ourFiles = (await listFiles(root)).map((path) => normalise(path, ourIds, root)).sort();
    const goldenFiles = (await listFiles(PY)).map((path) => normalise(path, goldenIds, PY)).sort();
    expect(ourFiles.filter((path) => !skip(path))).toEqual(
      goldenFiles.filter((path) => !skip(path)),
    );

    for (const path of (await listFiles(PY)).filter((file) => !skip(file))) {
      const ourPath = join(
        root,
        ...Object.entries(goldenIds)
          .reduce(
            (p, [id, name]) =>
              p.replaceAll(id, Object.keys(ourIds).find((k) => ourIds[k] === name)!),
            path,
          )
          .split('/'),
      );
      const golden = await readFile(join(PY, path));
      const mine = await readFile(ourPath);
      if (path.endsWith('.png')) {
        expect(mine.equals(golden), path).toBe(true);
        continue;
      }
      const goldenRoot = /file:\/\/(\/[^\n]*?\/mlruns)/.exec(golden.toString())?.[1];
      const goldenText = normalise(
        golden.toString(),
        goldenIds,
        goldenRoot ? `file://${goldenRoot}` : PY,
      );
      expect(normalise(mine.toString(), ourIds, `file://${root}`), path).toBe(goldenText);
    }
    // Empty folders belong to the layout: .trash, and the FAILED run's metrics/ and artifacts/.
    const lrFolder = join(root, ours.experimentId, ours.lr);
    expect(await listFiles(join(lrFolder, 'metrics'))).toEqual([]);
    expect(await listFiles(join(lrFolder, 'artifacts'))).toEqual([]);
    expect(await listFiles(join(root, '.trash'))).toEqual([]);
    expect(await readFile(join(root, ours.experimentId, ours.rf, 'tags/mlflow.user'), 'utf8')).toBe(
      currentUser(process.env),
    );
  });

  it('writes an MLmodel with the keys and types MLflow writes, and the history tag in Python JSON', async () => {
    const root = join(dir.path, 'mlruns');
    const { experimentId, rf } = await logSeedRuns(root);
    const runFolder = join(root, experimentId, rf);
    const golden = parseYaml(
      await readFile(join(PY, PY_EXPERIMENT, PY_RF, 'artifacts/model/MLmodel'), 'utf8'),
    ) as Record<string, unknown>;
    const ours = parseYaml(
      await readFile(join(runFolder, 'artifacts/model/MLmodel'), 'utf8'),
    ) as Record<string, unknown>;
    // mlflow_version names the Python MLflow that wrote the file: heart does not claim one.
    expect(Object.keys(ours).sort()).toEqual(
      Object.keys(golden)
        .filter((key) => key !== 'mlflow_version')
        .sort(),
    );
    expect(ours.saved_input_example_info).toEqual(golden.saved_input_example_info);
    expect(ours.signature).toEqual(golden.signature);
    expect(ours.run_id).toBe(rf);
    expect(ours.model_uuid).toMatch(/^[0-9a-f]{32}$/);
    expect(ours.utc_time_created).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    expect(ours.flavors).toEqual({ heart: { model_file: 'model.json', model_format_version: 1 } });
    const modelFolder = join(runFolder, 'artifacts/model');
    for (const name of ['input_example.json', 'serving_input_example.json']) {
      expect(await readFile(join(modelFolder, name), 'utf8'), name).toBe(
        await readFile(join(PY, PY_EXPERIMENT, PY_RF, 'artifacts/model', name), 'utf8'),
      );
    }
    const size = (
      await Promise.all(
        ['model.json', 'input_example.json', 'serving_input_example.json'].map((name) =>
          readFile(join(modelFolder, name)),
        ),
      )
    ).reduce((sum, bytes) => sum + bytes.length, 0);
    expect(ours.model_size_bytes).toBe(size);

    const history = JSON.parse(
      await readFile(join(runFolder, 'tags/mlflow.log-model.history'), 'utf8'),
    );
    const goldenHistory = JSON.parse(
      await readFile(join(PY, PY_EXPERIMENT, PY_RF, 'tags/mlflow.log-model.history'), 'utf8'),
    );
    expect(history).toHaveLength(1);
    expect(Object.keys(history[0])).toEqual(Object.keys(goldenHistory[0]));
    expect(history[0]).toMatchObject({
      run_id: rf,
      artifact_path: 'model',
      model_uuid: ours.model_uuid,
      utc_time_created: ours.utc_time_created,
    });
  });

  it('formats YAML and JSON the way Python does (golden files re-emitted byte for byte)', async () => {
    for (const file of [
      '0/meta.yaml',
      `${PY_EXPERIMENT}/meta.yaml`,
      `${PY_EXPERIMENT}/${PY_RF}/meta.yaml`,
      `${PY_EXPERIMENT}/${PY_LR}/meta.yaml`,
      `${PY_EXPERIMENT}/${PY_RF}/artifacts/model/conda.yaml`,
    ]) {
      const text = await readFile(join(PY, file), 'utf8');
      expect(toYaml(parseYaml(text)), file).toBe(text);
    }
    const history = await readFile(
      join(PY, PY_EXPERIMENT, PY_RF, 'tags/mlflow.log-model.history'),
      'utf8',
    );
    expect(pythonJsonDumps(JSON.parse(history))).toBe(history);
    const example = await readFile(
      join(PY, PY_EXPERIMENT, PY_RF, 'artifacts/model/input_example.json'),
      'utf8',
    );
    expect(pythonJsonDumps(JSON.parse(example))).toBe(example);
  });

  it('leaves a store MLflow reads without a problem', async () => {
    const root = join(dir.path, 'mlruns');
    await logSeedRuns(root);
    const report = await inspectFileStore(root);
    expect(report).toMatchObject({ experiments: 2, runs: 2, problems: [], readable: true });
  });
});

describe('the file store reads what others wrote (golden filestore-handwritten)', () => {
  it('reads experiments, tags, params, latest and full metrics, artifacts and filters', async () => {
    const root = join(dir.path, 'mlruns');
    await copyGoldenTree('filestore-handwritten', root);
    const client = createTrackingClient({ trackingUri: `file://${root}` });
    const experiment = await client.getExperimentByName('heart-disease-mlops');
    expect(experiment).toMatchObject({
      experimentId: HAND_EXPERIMENT,
      lifecycleStage: 'active',
      tags: [{ key: 'team', value: 'hand-written' }],
    });
    const run = await client.getRun(HAND_RUN);
    expect(run.info).toMatchObject({
      runName: 'random-forest',
      status: 'FINISHED',
      startTime: 1795719876610,
      endTime: 1795719881610,
      userId: 'root',
    });
    expect(run.data.params).toEqual([
      { key: 'max_depth', value: '5' },
      { key: 'n_estimators', value: '100' },
    ]);
    expect(run.data.metrics.find((metric) => metric.key === 'train_loss')).toEqual({
      key: 'train_loss',
      value: 0.3,
      timestamp: 1795719876650,
      step: 2,
    });
    expect(run.data.tags.map((tag) => tag.key).sort()).toEqual([
      'custom/slash',
      'mlflow.runName',
      'mlflow.source.name',
      'mlflow.source.type',
      'mlflow.user',
      'model_type',
    ]);
    expect(run.data.tags.find((tag) => tag.key === 'custom/slash')?.value).toBe('nested');
    expect(
      (await client.getMetricHistory(HAND_RUN, 'train_loss')).map((point) => [
        point.value,
        point.step,
      ]),
    ).toEqual([
      [0.7, 0],
      [0.5, 1],
      [0.3, 2],
    ]);
    expect(await client.listArtifacts(HAND_RUN)).toEqual([
      { path: 'metrics.json', isDir: false, fileSize: 37 },
      { path: 'plots', isDir: true },
    ]);
    const downloaded = await client.downloadArtifacts(
      HAND_RUN,
      'plots',
      join(dir.path, 'download'),
    );
    const original = await readFile(
      join(HAND, HAND_EXPERIMENT, HAND_RUN, 'artifacts/plots/confusion_matrix.png'),
    );
    expect((await readFile(join(downloaded, 'confusion_matrix.png'))).equals(original)).toBe(true);
    for (const [filter, expected] of [
      ['metrics.roc_auc > 0.9', 1],
      ['metrics.roc_auc > 0.95', 0],
      ["params.max_depth = '5' and tags.model_type = 'random_forest'", 1],
      ["attributes.status = 'FINISHED' AND tags.`custom/slash` LIKE 'nest%'", 1],
    ] as const) {
      expect(
        (await client.searchRuns({ experimentIds: [HAND_EXPERIMENT], filter })).runs,
        filter,
      ).toHaveLength(expected);
    }
  });

  it('keeps the store readable after appending runs to it', async () => {
    const root = join(dir.path, 'mlruns');
    await copyGoldenTree('filestore-handwritten', root);
    const client = createTrackingClient({ trackingUri: root });
    await client.withRun({ experimentId: HAND_EXPERIMENT, runName: 'appended' }, (run) =>
      run.logMetric('m', 1),
    );
    const { runs } = await client.searchRuns({
      experimentIds: [HAND_EXPERIMENT],
      orderBy: ['attributes.start_time DESC'],
    });
    expect(runs.map((run) => run.info.runName)).toEqual(['appended', 'random-forest']);
    expect((await inspectFileStore(root)).readable).toBe(true);
  });
});
