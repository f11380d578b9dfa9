import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@heart/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inspectFileStore } from './file-store/inspect-file-store.js';
import { resolveTrackingUri } from './open-tracking-store.js';
import { mlflowError } from './test-support/mlflow-error.js';
import { createTrackingClient, type TrackingClient } from './tracking-client.js';

let dir: { path: string; cleanup: () => Promise<void> };
let client: TrackingClient;
let experimentId: string;
beforeEach(async () => {
  dir = await tempDir();
  client = createTrackingClient({ trackingUri: join(dir.path, 'mlruns'), env: { USER: 'tester' } });
  experimentId = (await client.setExperiment('heart-disease-mlops')).experimentId;
});
afterEach(async () => {
  await dir.cleanup();
});

describe('tracking URI resolution', () => {
  it('takes the option, then MLFLOW_TRACKING_URI, then ./mlruns', () => {
    expect(
      resolveTrackingUri({ trackingUri: 'file:/x', env: { MLFLOW_TRACKING_URI: 'http://y' } }),
    ).toBe('file:/x');
    expect(resolveTrackingUri({ env: { MLFLOW_TRACKING_URI: 'http://y' } })).toBe('http://y');
    expect(resolveTrackingUri({ env: {} })).toBe('./mlruns');
    const local = createTrackingClient({ env: {}, cwd: dir.path });
    expect(local.trackingUri).toBe(`file://${dir.path}/mlruns`);
    expect(createTrackingClient({ trackingUri: `file://${dir.path}/other` }).trackingUri).toBe(
      `file://${dir.path}/other`,
    );
    expect(() => createTrackingClient({ trackingUri: 'sqlite:///mlflow.db' })).toThrow(
      /http\(s\):\/\/ tracking server/,
    );
  });
});

describe('experiments', () => {
  it('setExperiment gets or creates, once; createExperiment refuses a taken name', async () => {
    expect((await client.setExperiment('heart-disease-mlops')).experimentId).toBe(experimentId);
    expect(experimentId).toMatch(/^[1-9]\d{17}$/);
    const error = await mlflowError(client.createExperiment('heart-disease-mlops'));
    expect(error.code).toBe('RESOURCE_ALREADY_EXISTS');
    expect(error.message).toBe("Experiment 'heart-disease-mlops' already exists.");
    expect((await mlflowError(client.createExperiment(''))).code).toBe('INVALID_PARAMETER_VALUE');
    expect((await mlflowError(client.getExperiment('424242'))).code).toBe(
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  it('keeps experiment tags', async () => {
    const id = await client.createExperiment('tagged', { tags: { team: 'cardio' } });
    await client.setExperimentTag(id, 'owner', 'me');
    expect((await client.getExperiment(id)).tags).toEqual([
      { key: 'owner', value: 'me' },
      { key: 'team', value: 'cardio' },
    ]);
  });
});

describe('runs', () => {
  it('records the system tags MLflow sets, and a default name when none is given', async () => {
    const run = await client.startRun({ experimentId });
    const { data, info } = await client.getRun(run.runId);
    const tags = Object.fromEntries(data.tags.map((tag) => [tag.key, tag.value]));
    expect(tags).toMatchObject({
      'mlflow.user': 'tester',
      'mlflow.source.type': 'LOCAL',
      'mlflow.runName': info.runName,
    });
    expect(tags['mlflow.source.name']).toBe(process.argv[1]);
    expect(tags['mlflow.source.git.commit']).toMatch(/^[0-9a-f]{40}$/);
    expect(info.runName).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/);
    expect(info).toMatchObject({
      status: 'RUNNING',
      userId: 'tester',
      lifecycleStage: 'active',
      experimentId,
    });
    expect(info.endTime).toBeUndefined();
  });

  it('withRun ends FINISHED, or FAILED and rethrows', async () => {
    const value = await client.withRun({ experimentId, runName: 'ok' }, async () => 42);
    expect(value).toBe(42);
    const boom = new Error('boom');
    await expect(
      client.withRun({ experimentId, runName: 'bad' }, async () => Promise.reject(boom)),
    ).rejects.toBe(boom);
    const { runs } = await client.searchRuns({
      experimentIds: [experimentId],
      orderBy: ['attributes.run_name'],
    });
    expect(runs.map((run) => [run.info.runName, run.info.status])).toEqual([
      ['bad', 'FAILED'],
      ['ok', 'FINISHED'],
    ]);
    expect(runs.every((run) => typeof run.info.endTime === 'number')).toBe(true);
  });

  it('starts runs by experiment name or MLFLOW_EXPERIMENT_NAME, else in Default', async () => {
    const byName = await client.startRun({ experimentName: 'other' });
    expect((await client.getExperiment(byName.info.experimentId)).name).toBe('other');
    const viaEnv = createTrackingClient({
      trackingUri: join(dir.path, 'mlruns'),
      env: { MLFLOW_EXPERIMENT_NAME: 'from-env' },
    });
    const envRun = await viaEnv.startRun();
    expect((await viaEnv.getExperiment(envRun.info.experimentId)).name).toBe('from-env');
    expect((await client.startRun()).info.experimentId).toBe('0');
  });

  it('round-trips params, metrics (latest and history), tags and NaN/Infinity', async () => {
    const run = await client.startRun({ experimentId, runName: 'rf' });
    await run.logParams({ n_estimators: 100, max_depth: 'None', bootstrap: true });
    for (const [step, loss] of [0.7, 0.5, 0.3].entries())
      await run.logMetric('train_loss', loss, { step, timestamp: 1000 + step });
    await run.logMetrics({
      nan_metric: Number.NaN,
      inf_metric: Number.POSITIVE_INFINITY,
      tiny: 1e-5,
      whole: 3,
    });
    await run.setTags({ model_type: 'random_forest', 'custom/slash': 'nested' });
    await run.end();
    const { data } = await client.getRun(run.runId);
    expect(Object.fromEntries(data.params.map((p) => [p.key, p.value]))).toEqual({
      n_estimators: '100',
      max_depth: 'None',
      bootstrap: 'true',
    });
    const metrics = Object.fromEntries(data.metrics.map((m) => [m.key, m.value]));
    expect(metrics).toMatchObject({
      train_loss: 0.3,
      inf_metric: Number.POSITIVE_INFINITY,
      tiny: 1e-5,
      whole: 3,
    });
    expect(Number.isNaN(metrics.nan_metric)).toBe(true);
    expect(data.tags.find((tag) => tag.key === 'custom/slash')?.value).toBe('nested');
    expect(
      (await client.getMetricHistory(run.runId, 'train_loss')).map((m) => [
        m.step,
        m.value,
        m.timestamp,
      ]),
    ).toEqual([
      [0, 0.7, 1000],
      [1, 0.5, 1001],
      [2, 0.3, 1002],
    ]);
    const folder = join(dir.path, 'mlruns', experimentId, run.runId);
    expect(await readFile(join(folder, 'metrics', 'nan_metric'), 'utf8')).toMatch(/^\d+ nan 0\n$/);
    expect(await readFile(join(folder, 'metrics', 'inf_metric'), 'utf8')).toMatch(/^\d+ inf 0\n$/);
    expect(await readFile(join(folder, 'metrics', 'tiny'), 'utf8')).toMatch(/^\d+ 1e-05 0\n$/);
    expect(await readFile(join(folder, 'metrics', 'whole'), 'utf8')).toMatch(/^\d+ 3\.0 0\n$/);
    expect(await readFile(join(folder, 'params', 'n_estimators'), 'utf8')).toBe('100');
    expect(await client.getMetricHistory(run.runId, 'never-logged')).toEqual([]);
  });

  it('renames a run through the mlflow.runName tag', async () => {
    const run = await client.startRun({ experimentId, runName: 'before' });
    await run.setTag('mlflow.runName', 'after');
    expect((await client.getRun(run.runId)).info.runName).toBe('after');
  });

  it('searches with filters and order, and pages', async () => {
    for (const [name, auc] of [
      ['a', 0.91],
      ['b', 0.95],
      ['c', 0.88],
    ] as const) {
      await client.withRun({ experimentId, runName: name }, async (run) => {
        await run.logMetric('roc_auc', auc);
        await run.logParam('model', name === 'b' ? 'rf' : 'lr');
      });
    }
    const best = await client.searchRuns({
      experimentIds: [experimentId],
      orderBy: ['metrics.roc_auc DESC'],
      maxResults: 1,
    });
    expect(best.runs.map((run) => run.info.runName)).toEqual(['b']);
    expect(best.nextPageToken).toBeDefined();
    const next = await client.searchRuns({
      experimentIds: [experimentId],
      orderBy: ['metrics.roc_auc DESC'],
      maxResults: 1,
      pageToken: best.nextPageToken,
    });
    expect(next.runs.map((run) => run.info.runName)).toEqual(['a']);
    const filtered = await client.searchRuns({
      experimentIds: [experimentId],
      filter: 'metrics.roc_auc >= 0.9 and params.model = "lr"',
    });
    expect(filtered.runs.map((run) => run.info.runName)).toEqual(['a']);
    const error = await mlflowError(
      client.searchRuns({ experimentIds: [experimentId], filter: 'this is not a filter' }),
    );
    expect(error.message).toMatch(/^Invalid clause\(s\) in filter string/);
  });

  it('deletes a run softly and refuses to log to it', async () => {
    const run = await client.startRun({ experimentId, runName: 'gone' });
    await client.deleteRun(run.runId);
    expect((await client.searchRuns({ experimentIds: [experimentId] })).runs).toEqual([]);
    expect(
      (await client.searchRuns({ experimentIds: [experimentId], viewType: 'DELETED_ONLY' })).runs,
    ).toHaveLength(1);
    expect((await mlflowError(run.logMetric('m', 1))).message).toContain(
      "must be in 'active' lifecycle_stage",
    );
  });
});

describe('validation as MLflow does it, before anything is written', () => {
  it('refuses bad keys, long keys, non-numeric metrics and bad timestamps', async () => {
    const run = await client.startRun({ experimentId });
    expect((await mlflowError(run.logMetric('bad*name', 1))).message).toContain(
      'Invalid value "bad*name" for parameter \'name\' supplied',
    );
    for (const key of ['a//b', 'a/', '/a', './a', 'a/../b', '..']) {
      expect((await mlflowError(run.logParam(key, 1))).code, key).toBe('INVALID_PARAMETER_VALUE');
    }
    expect((await mlflowError(run.logParam('k'.repeat(251), 1))).message).toBe(
      `Param key '${'k'.repeat(251)}' had length 251, which exceeded length limit of 250`,
    );
    expect((await mlflowError(run.logMetric('m', true as unknown as number))).code).toBe(
      'INVALID_PARAMETER_VALUE',
    );
    expect((await mlflowError(run.logMetric('m', 1, { timestamp: 1.5 }))).code).toBe(
      'INVALID_PARAMETER_VALUE',
    );
    expect((await mlflowError(run.logMetric('m', 1, { step: 0.5 }))).code).toBe(
      'INVALID_PARAMETER_VALUE',
    );
    expect((await client.getRun(run.runId)).data.metrics).toEqual([]);
  });

  it('keeps params immutable, refuses duplicates in one batch, and writes nothing of a refused batch', async () => {
    const run = await client.startRun({ experimentId });
    await run.logParam('C', 1);
    await run.logParam('C', 1);
    const changed = await mlflowError(run.logParam('C', 2));
    expect(changed.message).toContain(
      "Changing param values is not allowed. Param with key='C' was already logged with value='1'",
    );
    const duplicate = await mlflowError(
      run.logBatch({
        params: [
          { key: 'x', value: '1' },
          { key: 'x', value: '2' },
        ],
      }),
    );
    expect(duplicate.message).toContain("Duplicate parameter keys have been submitted: ['x']");
    await mlflowError(
      run.logBatch({
        params: [
          { key: 'fresh', value: 'v' },
          { key: 'C', value: '3' },
        ],
        metrics: [{ key: 'm', value: 1, timestamp: 1, step: 0 }],
      }),
    );
    const { data } = await client.getRun(run.runId);
    expect(data.params).toEqual([{ key: 'C', value: '1' }]);
    expect(data.metrics).toEqual([]);
  });

  it('truncates param values to 6000 and tag values to 8000 characters', async () => {
    const run = await client.startRun({ experimentId });
    await run.logParam('long', 'p'.repeat(6001));
    await run.setTag('long', 't'.repeat(8001));
    const { data } = await client.getRun(run.runId);
    expect(data.params[0]!.value).toHaveLength(6000);
    expect(data.tags.find((tag) => tag.key === 'long')!.value).toHaveLength(8000);
  });
});

describe('artifacts and models', () => {
  it('logs files, folders, text, dicts (JSON/YAML) and images, lists and downloads them', async () => {
    const run = await client.startRun({ experimentId });
    const file = join(dir.path, 'report.txt');
    await writeFile(file, 'hello');
    const folder = join(dir.path, 'folder');
    await mkdir(join(folder, 'sub'), { recursive: true });
    await writeFile(join(folder, 'sub', 'a.txt'), 'a');
    await run.logArtifact(file);
    await run.logArtifact(file, 'docs/nested');
    await run.logArtifacts(folder, 'snapshot');
    expect(await client.listArtifacts(run.runId, 'snapshot/sub')).toEqual([
      { path: 'snapshot/sub/a.txt', isDir: false, fileSize: 1 },
    ]);
    await run.logText('plain', 'notes/readme.md');
    await run.logDict({ b: 1, a: [1, 2] }, 'metrics.json');
    await run.logDict({ b: 1, a: [1, 2] }, 'config.yaml');
    await run.logImage(new Uint8Array([137, 80, 78, 71]), 'plots/x.png');
    const top = await client.listArtifacts(run.runId);
    expect(top.map((entry) => entry.path)).toEqual([
      'config.yaml',
      'docs',
      'metrics.json',
      'notes',
      'plots',
      'report.txt',
      'snapshot',
    ]);
    expect(new TextDecoder().decode(await client.readArtifact(run.runId, 'metrics.json'))).toBe(
      '{\n  "b": 1,\n  "a": [\n    1,\n    2\n  ]\n}',
    );
    expect(new TextDecoder().decode(await client.readArtifact(run.runId, 'config.yaml'))).toBe(
      'b: 1\na:\n- 1\n- 2\n',
    );
    expect(await client.listArtifacts(run.runId, 'docs/nested')).toEqual([
      { path: 'docs/nested/report.txt', isDir: false, fileSize: 5 },
    ]);
    const local = await client.downloadArtifacts(run.runId, 'docs', join(dir.path, 'out'));
    expect(await readFile(join(local, 'nested', 'report.txt'), 'utf8')).toBe('hello');
    expect((await mlflowError(run.logText('x', '../escape.txt'))).code).toBe(
      'INVALID_PARAMETER_VALUE',
    );
    expect((await mlflowError(run.logArtifact(join(dir.path, 'missing.txt')))).code).toBe(
      'INVALID_PARAMETER_VALUE',
    );
    expect((await mlflowError(client.downloadArtifacts(run.runId, 'nope', dir.path))).code).toBe(
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  it('appends one history entry per logged model and returns its URI', async () => {
    const run = await client.startRun({ experimentId });
    const flavor = { name: 'heart', config: { model_file: 'model.json' } };
    const first = await run.logModel({ files: { 'model.json': '{}' }, flavor });
    const second = await run.logModel({
      artifactPath: 'challenger',
      files: { 'model.json': '{}' },
      flavor,
    });
    expect(first.modelUri).toBe(`runs:/${run.runId}/model`);
    expect(first.files).toEqual(['model.json', 'MLmodel']);
    const history = JSON.parse(
      (await client.getRun(run.runId)).data.tags.find(
        (tag) => tag.key === 'mlflow.log-model.history',
      )!.value,
    );
    expect(
      history.map((entry: { artifact_path: string; model_uuid: string }) => [
        entry.artifact_path,
        entry.model_uuid,
      ]),
    ).toEqual([
      ['model', first.modelUuid],
      ['challenger', second.modelUuid],
    ]);
    expect(
      (await mlflowError(run.logModel({ files: {}, flavor: { name: 'bad flavor!', config: {} } })))
        .code,
    ).toBe('INVALID_PARAMETER_VALUE');
    expect((await inspectFileStore(join(dir.path, 'mlruns'))).readable).toBe(true);
  });
});
