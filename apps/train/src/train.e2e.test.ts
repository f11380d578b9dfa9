import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { loadDataset } from '@heart/data';
import { classificationReport } from '@heart/metrics';
import { createTrackingClient, inspectFileStore, type Run } from '@heart/mlflow';
import { LogisticRegression, loadModel, RandomForest } from '@heart/models';
import { ColumnPipeline, createHeartPreprocessor, trainTestSplit } from '@heart/preprocessing';
import { childOutput, fixturePath, ReplayServer, UCI_DIR } from '@heart/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { tempDir } from './test-support/temp-dir.js';

const APP = resolve(import.meta.dirname, '..');
const MAIN = join(APP, 'dist', 'main.js');
const SHA256 = 'a74b7efa387bc9d108d7d0115d831fe9b414b29ae7124f331b622b4efa0427c8';

let server: Server;
let dataUrl: string;
let work: { path: string; cleanup: () => Promise<void> };
const requests: string[] = [];

/** Runs the built train CLI; resolves with its exit code and output. */
function train(
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(MLFLOW_|HEART_)/.test(key)),
  );
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { ...env, HEART_ROOT: work.path, ...extraEnv },
    cwd: APP,
  });
  return childOutput(child);
}

/** What models/ holds: the seed's three files (links through `current`), the link, the sets. */
const MODEL_DIR_ENTRIES = [
  'best_model.json',
  'current',
  'metadata.json',
  'preprocessor.json',
  'releases',
];

const standardArgs = (name: string) => [
  '--data-url',
  dataUrl,
  '--data-dir',
  join(work.path, 'raw'),
  '--tracking-uri',
  join(work.path, 'mlruns'),
  '--output',
  join(work.path, name),
];

beforeAll(async () => {
  work = await tempDir('heart-train-e2e-');
  server = createServer(async (req, res) => {
    requests.push(req.url ?? '');
    const name = (req.url ?? '').replace(/^\/+/, '');
    const body = /^[\w.]+$/.test(name)
      ? await readFile(join(UCI_DIR, name)).catch(() => undefined)
      : undefined;
    if (!body) res.writeHead(404).end();
    else res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  dataUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  await work.cleanup();
});

describe('pnpm turbo run train, end to end (built CLI, loopback UCI server, temp folders)', () => {
  let first: Awaited<ReturnType<typeof train>>;
  let runs: Run[];

  beforeAll(async () => {
    first = await train(standardArgs('models'));
    if (first.code !== 0) console.error(first.stderr);
    const client = createTrackingClient({ trackingUri: join(work.path, 'mlruns') });
    const experiment = await client.getExperimentByName('heart-disease-mlops');
    runs = (await client.searchRuns({ experimentIds: [experiment!.experimentId] })).runs;
  }, 60_000);

  it('downloads, trains both models and says where everything is', () => {
    expect(first.code, first.stderr).toBe(0);
    expect(requests).toEqual(['/processed.cleveland.data']);
    expect(first.stderr).toMatch(/✓ data .* 303 rows, 139 with disease \(downloaded\)/);
    expect(first.stdout).toMatch(/best: (random-forest|logistic-regression) \(roc_auc 0\.\d{4}\)/);
    expect(first.stdout).toContain(
      `mlflow ui --backend-store-uri file://${join(work.path, 'mlruns')}`,
    );
  });

  it("prints a result table that fits in 100 columns under turbo's line prefix", () => {
    const prefix = '@heart/train-app:train: ';
    const table = first.stdout.split('\n').slice(1, 10);
    expect(table[0]).toMatch(/^test metric\s+\*? ?(logistic-regression|random-forest)/);
    expect(table.map((line) => line.split(/\s{2,}/)[0])).toEqual([
      'test metric',
      'accuracy',
      'precision',
      'recall',
      'f1',
      'roc_auc',
      'pr_auc',
      'log_loss',
      'cv roc_auc',
    ]);
    for (const line of table) expect(prefix.length + line.length, line).toBeLessThanOrEqual(100);
  });

  it("shows the Python pipeline's own numbers: scikit-learn's split and folds for seed 42", async () => {
    const reference = JSON.parse(
      await readFile(fixturePath('reference/sklearn-baseline.json'), 'utf8'),
    ) as {
      test_metrics: { logistic_regression: { roc_auc: number; accuracy: number } };
      cv: { train_242: { logistic_regression: { roc_auc: { mean: number } } } };
    };
    const lr = runs.find((run) => run.info.runName === 'logistic-regression')!;
    const metric = (key: string) => lr.data.metrics.find((m) => m.key === key)!.value;
    expect(metric('roc_auc')).toBeCloseTo(reference.test_metrics.logistic_regression.roc_auc, 9);
    expect(metric('accuracy')).toBeCloseTo(reference.test_metrics.logistic_regression.accuracy, 9);
    expect(metric('cv_roc_auc_mean')).toBeCloseTo(
      reference.cv.train_242.logistic_regression.roc_auc.mean,
      3,
    );
    expect(lr.data.params.find((p) => p.key === 'split')?.value).toBe('sklearn');
    expect(first.stdout).toMatch(/roc_auc\s+0\.9665/);
  });

  it('logs two FINISHED runs with params, metrics, tags, charts and a model per SPEC', async () => {
    expect(runs.map((run) => run.info.runName).sort()).toEqual([
      'logistic-regression',
      'random-forest',
    ]);
    const client = createTrackingClient({ trackingUri: join(work.path, 'mlruns') });
    for (const run of runs) {
      expect(run.info.status).toBe('FINISHED');
      const params = Object.fromEntries(run.data.params.map((p) => [p.key, p.value]));
      const metrics = Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value]));
      const tags = Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
      expect(params).toMatchObject({
        seed: '42',
        test_size: '0.2',
        cv_folds: '5',
        sites: 'cleveland',
      });
      for (const key of [
        'accuracy',
        'precision',
        'recall',
        'f1',
        'roc_auc',
        'pr_auc',
        'log_loss',
        'brier',
        'cv_roc_auc_mean',
        'cv_roc_auc_std',
      ]) {
        expect(typeof metrics[key], key).toBe('number');
      }
      expect(
        (await client.getMetricHistory(run.info.runId, 'cv_roc_auc')).map((point) => point.step),
      ).toEqual([0, 1, 2, 3, 4]);
      expect(tags['heart.data.sha256']).toBe(SHA256);
      expect(tags['mlflow.source.type']).toBe('LOCAL');
      // No heart.best tags any more: the registry is the record of what was best.
      expect(tags['heart.best']).toBeUndefined();
      expect(tags['heart.training_id']).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/);
      const top = (await client.listArtifacts(run.info.runId)).map((file) => file.path);
      expect(top).toEqual(['feature_importance.json', 'metrics.json', 'model', 'plots']);
      const plots = (await client.listArtifacts(run.info.runId, 'plots')).map((file) =>
        file.path.replace('plots/', ''),
      );
      const charts = [
        'confusion_matrix',
        'pr_curve',
        'roc_curve',
        ...(run.info.runName === 'random-forest' ? ['feature_importance'] : []),
      ];
      expect(plots).toEqual(
        charts
          .sort()
          .flatMap((chart) => [`${chart}.png`, `${chart}.svg`, `${chart}.vl.json`])
          .sort(),
      );
      const png = await client.readArtifact(run.info.runId, 'plots/roc_curve.png');
      expect(Array.from(png.subarray(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
      const mlmodel = parseYaml(
        new TextDecoder().decode(await client.readArtifact(run.info.runId, 'model/MLmodel')),
        { intAsBigInt: false },
      );
      expect(mlmodel).toMatchObject({
        artifact_path: 'model',
        run_id: run.info.runId,
        flavors: {
          heart: {
            model_file: 'model.json',
            preprocessor_file: 'preprocessor.json',
            model_format_version: 1,
          },
        },
        saved_input_example_info: {
          artifact_path: 'input_example.json',
          type: 'dataframe',
          pandas_orient: 'split',
        },
      });
      expect(
        JSON.parse(mlmodel.signature.inputs).map((column: { name: string }) => column.name),
      ).toHaveLength(13);
      const model = loadModel(
        new TextDecoder().decode(await client.readArtifact(run.info.runId, 'model/model.json')),
      );
      expect(model.kind).toBe(run.info.runName);
      ColumnPipeline.load(
        new TextDecoder().decode(
          await client.readArtifact(run.info.runId, 'model/preprocessor.json'),
        ),
      );
      expect(JSON.parse(tags['mlflow.log-model.history']!)).toHaveLength(1);
    }
    expect(await inspectFileStore(join(work.path, 'mlruns'))).toMatchObject({
      readable: true,
      problems: [],
    });
  });

  it('writes models/ that @heart/models and @heart/preprocessing load, naming the winning run', async () => {
    const dir = join(work.path, 'models');
    expect((await readdir(dir)).sort()).toEqual(MODEL_DIR_ENTRIES);
    const metadata = JSON.parse(await readFile(join(dir, 'metadata.json'), 'utf8'));
    const champion = await createTrackingClient({
      trackingUri: join(work.path, 'mlruns'),
    }).registry.getModelVersionByAlias('heart-disease', 'champion');
    const best = runs.find((run) => run.info.runId === champion.runId)!;
    expect(metadata.mlflow.runId).toBe(best.info.runId);
    expect(metadata).toMatchObject({
      kind: best.info.runName,
      seed: 42,
      data: { sha256: SHA256, rows: 303 },
    });
    const model = loadModel(await readFile(join(dir, 'best_model.json'), 'utf8'));
    const preprocessor = ColumnPipeline.load(
      await readFile(join(dir, 'preprocessor.json'), 'utf8'),
    );
    expect(model.featureNames).toEqual(preprocessor.featureNames);
    const bestAuc = best.data.metrics.find((metric) => metric.key === 'roc_auc')!.value;
    expect(metadata.metrics.roc_auc).toBe(bestAuc);
    for (const run of runs)
      expect(
        run.data.metrics.find((metric) => metric.key === 'roc_auc')!.value,
      ).toBeLessThanOrEqual(bestAuc);
  });

  it('logs exactly the metrics the libraries compute on the same split', async () => {
    const { rows } = await loadDataset(join(UCI_DIR, 'processed.cleveland.data'));
    const split = trainTestSplit({
      labels: rows.map((row) => row.target),
      testSize: 0.2,
      seed: 42,
      method: 'sklearn',
    });
    const train = split.trainIndex.map((index) => rows[index]!);
    const test = split.testIndex.map((index) => rows[index]!);
    const preprocessor = createHeartPreprocessor().fit(train);
    const models = {
      'logistic-regression': new LogisticRegression({ C: 1, maxIter: 1000 }),
      'random-forest': new RandomForest({ nEstimators: 100, seed: 42 }),
    };
    for (const run of runs) {
      const model = models[run.info.runName as keyof typeof models].fit(
        preprocessor.transform(train),
        train.map((row) => row.target),
      );
      const report = classificationReport(
        test.map((row) => row.target),
        model.predictProba(preprocessor.transform(test)),
      );
      const logged = Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value]));
      expect(logged.roc_auc).toBe(report.rocAuc);
      expect(logged.pr_auc).toBe(report.averagePrecision);
      expect(logged.f1).toBe(report.f1);
      expect(logged.log_loss).toBe(report.logLoss);
    }
  });

  it('gives the same model files and metrics for the same seed (timestamps aside), from the cache', async () => {
    const second = await train(standardArgs('models-again'));
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('(cached)');
    expect(requests).toHaveLength(1);
    for (const file of ['best_model.json', 'preprocessor.json']) {
      expect(await readFile(join(work.path, 'models-again', file), 'utf8'), file).toBe(
        await readFile(join(work.path, 'models', file), 'utf8'),
      );
    }
    const a = JSON.parse(await readFile(join(work.path, 'models', 'metadata.json'), 'utf8'));
    const b = JSON.parse(await readFile(join(work.path, 'models-again', 'metadata.json'), 'utf8'));
    expect(b.metrics).toEqual(a.metrics);
    expect(b.cv).toEqual(a.cv);
  }, 30_000);

  it('on a failure mid-way marks the open run FAILED, leaves models/ untouched and exits non-zero', async () => {
    const dir = join(work.path, 'models');
    const before = await Promise.all(
      ['best_model.json', 'preprocessor.json', 'metadata.json'].map((file) =>
        readFile(join(dir, file), 'utf8'),
      ),
    );
    const failed = await train([...standardArgs('models'), '--rf-max-features', '99']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(
      'heart-train: failed [INVALID_OPTION]: maxFeatures 99 exceeds the 28 features',
    );
    const after = await Promise.all(
      ['best_model.json', 'preprocessor.json', 'metadata.json'].map((file) =>
        readFile(join(dir, file), 'utf8'),
      ),
    );
    expect(after).toEqual(before);
    expect((await readdir(dir)).sort()).toEqual(MODEL_DIR_ENTRIES);
    const client = createTrackingClient({ trackingUri: join(work.path, 'mlruns') });
    const experiment = await client.getExperimentByName('heart-disease-mlops');
    const failedRuns = (
      await client.searchRuns({
        experimentIds: [experiment!.experimentId],
        filter: "attributes.status = 'FAILED'",
      })
    ).runs;
    expect(failedRuns.map((run) => run.info.runName)).toEqual(['random-forest']);
    expect(failed.stderr).toContain(
      `Nothing in models/ was changed; the open MLflow run ${failedRuns[0]!.info.runId} is marked FAILED.`,
    );
  }, 30_000);

  it('with no route to the data, fails at once, says how to use a local copy, and opens no run', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    const result = await train([
      ...standardArgs('models-offline'),
      '--data-url',
      `http://127.0.0.1:${port}/`,
      '--data-dir',
      join(work.path, 'raw-offline'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ECONNREFUSED');
    expect(result.stderr).not.toContain('retry');
    expect(result.stderr).toContain('--data-url <where> or HEART_DATA_URL=<where>');
    expect(result.stderr).toContain('Nothing in models/ was changed.');
    expect(result.stderr).not.toMatch(/MLflow run/);
  });

  it('reads MLFLOW_TRACKING_URI and MLFLOW_EXPERIMENT_NAME (through @heart/mlflow) when no flag names them', async () => {
    const store = join(work.path, 'mlruns-env');
    const args = standardArgs('models-env').filter(
      (arg, i, all) => arg !== '--tracking-uri' && all[i - 1] !== '--tracking-uri',
    );
    const result = await train([...args, '--models', 'lr'], {
      MLFLOW_TRACKING_URI: store,
      MLFLOW_EXPERIMENT_NAME: 'from-env',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`runs: experiment "from-env"`);
    const client = createTrackingClient({ trackingUri: store });
    const experiment = await client.getExperimentByName('from-env');
    expect(
      (await client.searchRuns({ experimentIds: [experiment!.experimentId] })).runs,
    ).toHaveLength(1);
  });

  it('refuses unknown flags and bad values before doing anything', async () => {
    const result = await train(['--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("heart-train: Unknown option '--bogus'");
    const help = await train(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--select-metric');
  });

  it('trains into an MLflow tracking server (MLflow 2.17.2 replay, proxied artifacts)', async () => {
    const mlflow = new ReplayServer('artifactproxy');
    await mlflow.start();
    try {
      const result = await train([...standardArgs('models-rest'), '--tracking-uri', mlflow.url]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`open them: ${mlflow.url}/#/experiments/1`);
      // The best run's model became version 1 of heart-disease, with the alias on it.
      const registered = mlflow.registeredModels.get('heart-disease')!;
      expect([...registered.versions.keys()]).toEqual([1]);
      expect(registered.aliases.get('champion')).toBe('1');
      expect(result.stdout).toContain('registry: heart-disease version 1 registered (run ');
      const stored = [...mlflow.runs.values()];
      expect(stored.map((run) => [run.info.run_name, run.info.status]).sort()).toEqual([
        ['logistic-regression', 'FINISHED'],
        ['random-forest', 'FINISHED'],
      ]);
      for (const run of stored) {
        expect(run.params.get('seed')).toBe('42');
        expect(run.metrics.filter((metric) => metric.key === 'cv_roc_auc')).toHaveLength(5);
        expect(run.tags.has('heart.best')).toBe(false);
        const root = `1/${run.info.run_id}/artifacts`;
        for (const file of [
          'model/MLmodel',
          'model/model.json',
          'plots/roc_curve.png',
          'metrics.json',
        ])
          expect(mlflow.artifacts.has(`${root}/${file}`), file).toBe(true);
        expect(mlflow.artifacts.get(`${root}/plots/roc_curve.png`)!.contentType).toBe('image/png');
      }
      const metadata = JSON.parse(
        await readFile(join(work.path, 'models-rest', 'metadata.json'), 'utf8'),
      );
      expect(metadata.mlflow.trackingUri).toBe(mlflow.url);
    } finally {
      await mlflow.stop();
    }
  }, 60_000);
});

describe('the model lifecycle: a new version per training, the alias moved only when better', () => {
  const store = () => join(work.path, 'mlruns-lifecycle');
  const trainInto = (name: string, extra: string[]) =>
    train([
      '--data-url',
      dataUrl,
      '--data-dir',
      join(work.path, 'raw'),
      '--tracking-uri',
      store(),
      '--output',
      join(work.path, name),
      '--models',
      'lr',
      ...extra,
    ]);
  const registry = () => createTrackingClient({ trackingUri: store() }).registry;
  const rocAuc = async (runId: string) =>
    (await createTrackingClient({ trackingUri: store() }).getRun(runId)).data.metrics.find(
      (metric) => metric.key === 'roc_auc',
    )!.value;

  it('registers each training, moves champion to the better version, and says why', async () => {
    // Seed 7's split gives a lower test ROC AUC than seed 42's: train the worse one first.
    const first = await trainInto('lifecycle-a', ['--seed', '7']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      /registry: heart-disease version 1 registered \(run \w+\); alias champion → version 1: no version had the alias yet/,
    );
    const second = await trainInto('lifecycle-b', ['--seed', '42']);
    expect(second.code, second.stderr).toBe(0);
    const versions = (await registry().searchModelVersions({ filter: "name='heart-disease'" }))
      .modelVersions;
    expect(versions.map((version) => version.version).sort()).toEqual(['1', '2']);
    const [v1, v2] = ['1', '2'].map((n) => versions.find((version) => version.version === n)!);
    const [auc1, auc2] = [await rocAuc(v1!.runId), await rocAuc(v2!.runId)];
    expect(auc2).toBeGreaterThan(auc1);
    expect((await registry().getModelVersionByAlias('heart-disease', 'champion')).version).toBe(
      '2',
    );
    expect(second.stdout).toContain(
      `alias champion → version 2: roc_auc ${auc2.toFixed(4)} beats version 1's ${auc1.toFixed(4)}`,
    );
    // A worse training again: version 3 is registered, champion stays on version 2.
    const third = await trainInto('lifecycle-c', ['--seed', '7']);
    expect(third.stdout).toContain(
      `alias champion stays on version 2: roc_auc ${auc1.toFixed(4)} does not beat version 2's ${auc2.toFixed(4)}`,
    );
    expect((await registry().getModelVersionByAlias('heart-disease', 'champion')).version).toBe(
      '2',
    );
  }, 60_000);

  it('--promote always and --promote never do as they say', async () => {
    const always = await trainInto('lifecycle-d', ['--seed', '7', '--promote', 'always']);
    expect(always.stdout).toMatch(/alias champion → version 4: --promote always/);
    expect((await registry().getModelVersionByAlias('heart-disease', 'champion')).version).toBe(
      '4',
    );
    const never = await trainInto('lifecycle-e', ['--seed', '42', '--promote', 'never']);
    expect(never.stdout).toMatch(
      /version 5 registered .*alias champion stays on version 4: --promote never/,
    );
    expect((await registry().getModelVersionByAlias('heart-disease', 'champion')).version).toBe(
      '4',
    );
    expect(await inspectFileStore(store())).toMatchObject({ readable: true, problems: [] });
  }, 60_000);
});
