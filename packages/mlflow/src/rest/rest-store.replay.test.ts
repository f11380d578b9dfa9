import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  createManualClock,
  type Exchange,
  FaultProxy,
  loadExchanges,
  type Received,
  ReplayServer,
  tempDir,
} from '@heart/test-support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MlflowError } from '../errors.js';
import { parseYaml } from '../internal/yaml.js';
import { createTrackingClient } from '../tracking-client.js';
import { resolveRestConfig } from './rest-config.js';
import { RestStore } from './rest-store.js';
import type { RetryEvent } from './rest-store-options.js';
import { Transport } from './transport.js';

const run = promisify(execFile);
const PACKAGE = resolve(import.meta.dirname, '../..');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function replay(
  scenario: 'localartifacts' | 'artifactproxy' | 'verbatim',
  recordedScenario?: string,
) {
  const dir = await tempDir('heart-mlflow-rest-');
  const server = new ReplayServer(scenario, join(dir.path, 'mlartifacts'), recordedScenario);
  await server.start();
  cleanups.push(dir.cleanup, () => server.stop());
  return { server, dir: dir.path };
}

/** The shape of a JSON value: object keys and value shapes, array element shapes, types. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return [...new Set(value.map((item) => JSON.stringify(shape(item))))];
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, shape((value as Record<string, unknown>)[key])]),
    );
  }
  return typeof value;
}

/** Every top-level field we sent exists, with the same shape, in some recorded request of the endpoint. */
function checkBodyShape(received: Received, recorded: readonly Exchange[]): string[] {
  const problems: string[] = [];
  const bodies = recorded
    .filter((exchange) => exchange.request_body.kind === 'json')
    .map((exchange) => (exchange.request_body as { json: Record<string, unknown> }).json);
  for (const [key, value] of Object.entries(received.json as Record<string, unknown>)) {
    const mine = JSON.stringify(shape(value));
    const known = bodies
      .filter((body) => key in body)
      .map((body) => JSON.stringify(shape(body[key])));
    if (known.length === 0) problems.push(`${received.path}: field ${key} was never recorded`);
    else if (!known.includes(mine))
      problems.push(`${received.path}: field ${key} has shape ${mine}, recorded ${known[0]}`);
  }
  return problems;
}

const routeOf = (method: string, path: string) =>
  `${method} ${path.startsWith('/api/2.0/mlflow-artifacts/artifacts/') ? '/api/2.0/mlflow-artifacts/artifacts/<path>' : path}`;

describe('the seed script against the replay server (MLflow 2.17.2 recordings)', () => {
  for (const scenario of ['artifactproxy', 'localartifacts'] as const) {
    it(`logs both runs with params, metrics, plots and models (${scenario})`, async () => {
      const { server, dir } = await replay(scenario);
      const { stdout } = await run(
        process.execPath,
        ['--import', 'tsx', join(PACKAGE, 'examples', 'seed-runs.ts')],
        // In HTTP mode the script writes nothing to its folder.
        { cwd: PACKAGE, env: { ...process.env, MLFLOW_TRACKING_URI: server.url } },
      );
      expect(stdout).toContain('logistic-regression: run');
      expect(stdout).toContain(`logged to ${server.url}`);

      // What arrived: two finished runs with everything the script logged.
      const runs = [...server.runs.values()];
      expect(runs.map((stored) => [stored.info.run_name, stored.info.status])).toEqual([
        ['logistic-regression', 'FINISHED'],
        ['random-forest', 'FINISHED'],
      ]);
      for (const stored of runs) {
        expect(stored.tags.get('model_type')).toBe(stored.info.run_name);
        expect(stored.tags.get('mlflow.source.type')).toBe('LOCAL');
        expect(
          stored.metrics
            .filter((metric) => metric.key === 'train_loss')
            .map((metric) => [metric.step, metric.value]),
        ).toEqual([
          [0, 0.69],
          [1, 0.45],
          [2, 0.33],
          [3, 0.29],
        ]);
        expect(stored.metrics.map((metric) => metric.key)).toContain('roc_auc');
        const history = JSON.parse(stored.tags.get('mlflow.log-model.history')!) as {
          artifact_path: string;
          flavors: Record<string, unknown>;
        }[];
        expect(history.map((entry) => entry.artifact_path)).toEqual(['model']);
        expect(Object.keys(history[0]!.flavors)).toContain('heart');
      }
      expect(Object.fromEntries(runs[0]!.params)).toEqual({ C: '1', max_iter: '1000' });

      // Artifacts by the run's artifact_uri: uploaded through the proxy, or written directly.
      const files = [
        'plots/example.png',
        'metrics.json',
        'model/MLmodel',
        'model/model.json',
        'model/input_example.json',
      ];
      const puts = server.received.filter((received) => received.method === 'PUT');
      for (const stored of runs) {
        const runId = String(stored.info.run_id);
        for (const file of files) {
          let bytes: Buffer;
          if (scenario === 'artifactproxy') {
            expect(String(stored.info.artifact_uri)).toMatch(/^mlflow-artifacts:\/1\//);
            bytes = server.artifacts.get(`1/${runId}/artifacts/${file}`)!.bytes;
          } else {
            expect(String(stored.info.artifact_uri)).toBe(
              join(dir, 'mlartifacts', '1', runId, 'artifacts'),
            );
            bytes = await readFile(join(dir, 'mlartifacts', '1', runId, 'artifacts', file));
          }
          expect(bytes.length, file).toBeGreaterThan(0);
        }
        const mlmodel = (
          scenario === 'artifactproxy'
            ? server.artifacts.get(`1/${runId}/artifacts/model/MLmodel`)!.bytes.toString('utf8')
            : await readFile(
                join(dir, 'mlartifacts', '1', runId, 'artifacts', 'model', 'MLmodel'),
                'utf8',
              )
        ) as string;
        expect((parseYaml(mlmodel) as { run_id: string }).run_id).toBe(runId);
      }
      expect(puts.length).toBe(scenario === 'artifactproxy' ? 2 * 6 : 0);

      // The requests match the recorded ones: endpoints, bodies' shapes, artifact content types.
      const recorded = server.flowExchanges;
      const recordedRoutes = new Set(
        recorded.map((exchange) => routeOf(exchange.method, exchange.path)),
      );
      const problems: string[] = [];
      for (const received of server.received) {
        const route = routeOf(received.method, received.path);
        expect(received.headers['user-agent']).toMatch(/^heart-mlflow\/\d+\.\d+\.\d+ node\//);
        if (!recordedRoutes.has(route)) problems.push(`${route} was not in the recording`);
        const same = recorded.filter(
          (exchange) => routeOf(exchange.method, exchange.path) === route,
        );
        if (received.json !== undefined) problems.push(...checkBodyShape(received, same));
        if (received.method === 'GET' && same.length > 0) {
          const names = Object.keys(received.query).sort().join(',');
          if (!same.some((exchange) => Object.keys(exchange.query).sort().join(',') === names))
            problems.push(`${route}: query ${names} was never recorded`);
        }
      }
      for (const put of puts) {
        const extension = put.path.includes('.')
          ? put.path.slice(put.path.lastIndexOf('.'))
          : put.path.slice(put.path.lastIndexOf('/'));
        const twin = recorded.find(
          (exchange) => exchange.method === 'PUT' && exchange.path.endsWith(extension),
        );
        if (twin)
          expect(put.headers['content-type'], put.path).toBe(twin.request_headers['Content-Type']);
        expect(Number(put.headers['content-length'])).toBe(put.bytes.length);
      }
      expect(problems).toEqual([]);
      // Python's order for set_experiment, then one runs/create per run and runs/update last.
      expect(
        server.received.slice(0, 3).map((received) => routeOf(received.method, received.path)),
      ).toEqual([
        'GET /api/2.0/mlflow/experiments/get-by-name',
        'POST /api/2.0/mlflow/experiments/create',
        'GET /api/2.0/mlflow/experiments/get',
      ]);
      const posts = server.received.map((received) => received.path.split('/').slice(-2).join('/'));
      expect(posts.filter((path) => path === 'runs/create')).toHaveLength(2);
      expect(posts.at(-1)).toBe('runs/update');
      // Metrics logged one by one travelled together: far fewer requests than metric calls.
      expect(posts.filter((path) => path === 'runs/log-batch').length).toBeLessThanOrEqual(2 * 3);
    }, 60_000);
  }

  it('reads the runs back: get, history, search, artifacts', async () => {
    const { server } = await replay('artifactproxy');
    const client = createTrackingClient({ trackingUri: server.url });
    const experiment = await client.setExperiment('heart-disease-mlops');
    const active = await client.startRun({ experimentId: experiment.experimentId, runName: 'rf' });
    for (let step = 0; step < 5; step++) await active.logMetric('loss', 1 / (step + 1), { step });
    await active.logMetric('nan', Number.NaN);
    await active.logMetric('inf', Number.POSITIVE_INFINITY);
    await active.logDict({ accuracy: 0.85 }, 'metrics.json');
    await active.end();

    const got = await client.getRun(active.runId);
    expect(got.info.status).toBe('FINISHED');
    expect(got.data.metrics.find((metric) => metric.key === 'loss')?.value).toBe(0.2);
    expect(got.data.metrics.find((metric) => metric.key === 'nan')?.value).toBeNaN();
    // SQL servers store +∞ as the largest double (SPEC §3.3).
    expect(got.data.metrics.find((metric) => metric.key === 'inf')?.value).toBe(
      1.7976931348623157e308,
    );
    const wire = server.received.find((received) =>
      JSON.stringify(received.json ?? '').includes('"nan"'),
    )!.json as { metrics: { key: string; value: unknown }[] };
    expect(
      wire.metrics.filter((metric) => metric.key !== 'loss').map((metric) => metric.value),
    ).toEqual(['NaN', 'Infinity']);
    expect(
      (await client.getMetricHistory(active.runId, 'loss')).map((metric) => metric.step),
    ).toEqual([0, 1, 2, 3, 4]);
    expect(await client.getMetricHistory(active.runId, 'nope')).toEqual([]);
    const found = await client.searchRuns({ experimentIds: [experiment.experimentId] });
    expect(found.runs.map((item) => item.info.runId)).toEqual([active.runId]);
    expect(await client.listArtifacts(active.runId)).toEqual([
      { path: 'metrics.json', isDir: false, fileSize: 22 },
    ]);
    expect(new TextDecoder().decode(await client.readArtifact(active.runId, 'metrics.json'))).toBe(
      '{\n  "accuracy": 0.85\n}',
    );
    await client.close();
  });
});

describe('every recorded error case', () => {
  for (const recordedScenario of ['errors-sqlite', 'errors-filestore']) {
    it(`becomes the right coded MlflowError, and only transient ones are retried (${recordedScenario})`, async () => {
      const { server } = await replay('verbatim', recordedScenario);
      const cases = loadExchanges().filter(
        (exchange) => exchange.scenario === recordedScenario && exchange.status !== 200,
      );
      expect(cases).toHaveLength(24);
      const transport = new Transport(
        resolveRestConfig(
          server.url,
          { env: {}, maxRetries: 2, backoffFactorMs: 0, backoffJitterMs: 0 },
          'heart-mlflow/test',
        ),
        (url, init) => fetch(url, init),
      );
      for (const exchange of cases) {
        const before = server.received.length;
        const body = exchange.request_body;
        const type = exchange.request_headers['Content-Type'];
        const error = await transport
          .call({
            method: exchange.method as 'GET' | 'POST',
            path: exchange.path,
            endpoint: exchange.path,
            query: exchange.query,
            ...(body.kind === 'json'
              ? { json: JSON.stringify(body.json) }
              : body.kind === 'text' || body.kind === 'json-untyped'
                ? {
                    body: () => {
                      const data = new TextEncoder().encode(
                        body.kind === 'text' ? body.text : JSON.stringify(body.json),
                      );
                      return { data, length: data.length, contentType: type ?? 'text/plain' };
                    },
                  }
                : {}),
          })
          .then(
            () => undefined,
            (caught: unknown) => caught,
          );
        const label = `seq ${exchange.seq} ${exchange.method} ${exchange.path}`;
        expect(error, label).toBeInstanceOf(MlflowError);
        const mlflowError = error as MlflowError;
        // The server matched our request to the recorded one: same method, path, query and body.
        expect(server.received[before]?.seq, label).toBe(exchange.seq);
        expect(mlflowError.status, label).toBe(exchange.status);
        expect(mlflowError.endpoint, label).toBe(exchange.path);
        const recordedBody = exchange.response_body;
        if (recordedBody.kind === 'json') {
          const json = recordedBody.json as { error_code: string; message: string };
          expect(mlflowError.code, label).toBe(json.error_code);
          expect(mlflowError.message, label).toContain(json.message.slice(0, 60));
        } else {
          expect(mlflowError.code, label).toBe(
            exchange.status === 404 ? 'ENDPOINT_NOT_FOUND' : 'UNEXPECTED_RESPONSE',
          );
          expect(mlflowError.message, label).toMatch(
            /an HTML page \("(500 Internal Server Error|404 Not Found)"\)/,
          );
        }
        const attempts = server.received.length - before;
        expect(attempts, label).toBe(
          [500, 503, 429, 408, 502, 504].includes(exchange.status) ? 3 : 1,
        );
      }
    });
  }
});

describe('a flaky network between client and server', () => {
  it('still delivers every param, metric point and artifact, with no duplicate run', async () => {
    const { server, dir } = await replay('artifactproxy');
    // Waits and timeouts run on a manual clock: a held request times out when the proxy holds it,
    // retry waits pass at once, and no real request can time out however slow the machine is.
    const clock = createManualClock();
    const timeoutMs = 30_000;
    const proxy = new FaultProxy({
      target: server.url,
      rate: 0.3,
      seed: 11,
      slowMs: 600,
      retryAfterSeconds: 1,
      onHold: () => clock.advance(timeoutMs),
    });
    await proxy.start();
    cleanups.push(() => proxy.stop());
    const retries: RetryEvent[] = [];
    const client = createTrackingClient({
      trackingUri: proxy.url,
      env: {},
      rest: {
        timeoutMs,
        backoffFactorMs: 20,
        backoffJitterMs: 20,
        maxRetries: 8,
        metricFlushSize: 100,
        onRetry: (event) => retries.push(event),
        clock,
      },
    });
    const params = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`p${i}`, i * 3]));
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 4; i++) {
      files[`file${i}.bin`] = Buffer.from(
        Array.from({ length: 5000 + i }, (_, j) => (j * 7 + i) % 256),
      );
      await writeFile(join(dir, `file${i}.bin`), files[`file${i}.bin`]!);
    }
    const runIds: string[] = [];
    for (const runName of ['first', 'second', 'third']) {
      const experiment = await client.setExperiment('heart-disease-mlops');
      const active = await client.startRun({ experimentId: experiment.experimentId, runName });
      runIds.push(active.runId);
      await active.logParams(params);
      for (let step = 0; step < 250; step++)
        await active.logMetric('loss', 1 / (step + 1), {
          step,
          timestamp: 1_700_000_000_000 + step,
        });
      await active.setTag('stage', runName);
      for (const name of Object.keys(files)) await active.logArtifact(join(dir, name), 'data');
      await active.logModel({
        files: { 'model.json': '{"kind":"test"}' },
        flavor: { name: 'heart', config: { model_file: 'model.json' } },
      });
      await active.end();
    }
    await client.close();

    // Every kind of fault happened, and the client retried through them.
    for (const fault of ['reset-before', 'reset-after', '503', '429', 'slow'] as const)
      expect(proxy.count(fault), fault).toBeGreaterThan(0);
    expect(retries.length).toBeGreaterThan(10);
    expect(retries.some((event) => event.reason === 'HTTP 429' && event.waitMs === 1000)).toBe(
      true,
    );

    // No duplicate run: one per startRun, each created once.
    expect([...server.runs.keys()].sort()).toEqual([...runIds].sort());
    expect([...server.createdClientIds.values()].every((count) => count === 1)).toBe(true);
    for (const runId of runIds) {
      const stored = server.runs.get(runId)!;
      expect(stored.info.status).toBe('FINISHED');
      expect(Object.fromEntries(stored.params)).toEqual(
        Object.fromEntries(Object.entries(params).map(([key, value]) => [key, String(value)])),
      );
      expect(stored.metrics.map((metric) => metric.step).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 250 }, (_, step) => step),
      );
      for (const [name, bytes] of Object.entries(files)) {
        const stored = server.artifacts.get(`1/${runId}/artifacts/data/${name}`);
        expect(stored && createHash('sha256').update(stored.bytes).digest('hex')).toBe(
          createHash('sha256').update(bytes).digest('hex'),
        );
      }
      expect(server.artifacts.has(`1/${runId}/artifacts/model/MLmodel`)).toBe(true);
    }
  }, 120_000);

  for (const fault of ['reset-after', 'slow'] as const) {
    it(`does not create a second run when runs/create's answer is lost (${fault})`, async () => {
      const { server } = await replay('artifactproxy');
      let creates = 0;
      const clock = createManualClock();
      const timeoutMs = 30_000;
      const proxy = new FaultProxy({
        target: server.url,
        rate: 0,
        seed: 1,
        slowMs: 60_000,
        retryAfterSeconds: 1,
        // The client gives up on the held attempt as soon as the proxy holds it.
        onHold: () => clock.advance(timeoutMs),
        // The first runs/create reaches the server, which creates the run; the answer is lost.
        plan: (_method, path) =>
          path.endsWith('/runs/create') && creates++ === 0 ? fault : 'pass',
      });
      await proxy.start();
      cleanups.push(() => proxy.stop());
      const client = createTrackingClient({
        trackingUri: proxy.url,
        env: {},
        rest: { timeoutMs, backoffFactorMs: 0, backoffJitterMs: 0, clock },
      });
      const experiment = await client.setExperiment('heart-disease-mlops');
      const active = await client.startRun({
        experimentId: experiment.experimentId,
        runName: 'once',
      });
      await active.logMetric('loss', 1);
      if (fault === 'slow') {
        // Training takes a while: the held first attempt reaches the server meanwhile.
        proxy.releaseHeld();
        await vi.waitFor(() => expect(server.runs.size).toBe(2), { timeout: 10_000 });
      }
      await active.end();
      await client.close();
      const live = [...server.runs].filter(([, run]) => run.info.lifecycle_stage === 'active');
      expect(live.map(([runId]) => runId)).toEqual([active.runId]);
      // reset-after: the retry found the run; slow: the late twin was deleted when the run ended.
      expect(server.runs.size).toBe(fault === 'slow' ? 2 : 1);
      expect(server.runs.get(active.runId)!.info.status).toBe('FINISHED');
    });
  }
});

describe('batching', () => {
  it('sends 5,000 metric points and 250 params in the minimum number of requests', async () => {
    const { server } = await replay('artifactproxy');
    const client = createTrackingClient({ trackingUri: server.url, env: {} });
    const experiment = await client.setExperiment('heart-disease-mlops');
    const active = await client.startRun({ experimentId: experiment.experimentId, runName: 'big' });
    const before = server.received.length;
    await active.logBatch({
      params: Array.from({ length: 250 }, (_, i) => ({ key: `param_${i}`, value: 'x'.repeat(i) })),
      metrics: Array.from({ length: 5000 }, (_, i) => ({
        key: `metric_${i % 7}`,
        value: i / 3,
        step: i,
        timestamp: 1_700_000_000_000 + i,
      })),
    });
    const batches = server.received.slice(before);
    // max(⌈250 / 100⌉, ⌈5250 / 1000⌉) = 6.
    expect(batches).toHaveLength(6);
    for (const batch of batches) {
      const body = batch.json as { metrics?: unknown[]; params?: unknown[]; tags?: unknown[] };
      const [metrics, params, tags] = [
        body.metrics?.length ?? 0,
        body.params?.length ?? 0,
        body.tags?.length ?? 0,
      ];
      expect(metrics).toBeLessThanOrEqual(1000);
      expect(params).toBeLessThanOrEqual(100);
      expect(tags).toBeLessThanOrEqual(100);
      expect(metrics + params + tags).toBeLessThanOrEqual(1000);
      expect(batch.bytes.length).toBeLessThanOrEqual(1_000_000);
    }
    const stored = [...server.runs.values()][0]!;
    expect(stored.params.size).toBe(250);
    expect(stored.metrics).toHaveLength(5000);

    // A 1,000-step training curve logged point by point is one request, not a thousand.
    const loopStart = server.received.length;
    for (let step = 0; step < 1000; step++) await active.logMetric('curve', step, { step });
    await active.end();
    const sent = server.received.slice(loopStart).map((received) => received.path.split('/').pop());
    expect(sent).toEqual(['log-batch', 'update']);
    expect(stored.metrics.filter((metric) => metric.key === 'curve')).toHaveLength(1000);
    await client.close();
  });

  it('flushes buffered points on its own after the interval', async () => {
    const { server } = await replay('artifactproxy');
    const clock = createManualClock();
    const client = createTrackingClient({
      trackingUri: server.url,
      env: {},
      rest: { metricFlushIntervalMs: 50, clock },
    });
    const experiment = await client.setExperiment('heart-disease-mlops');
    const active = await client.startRun({ experimentId: experiment.experimentId });
    await active.logMetric('loss', 0.5);
    const stored = server.runs.get(active.runId)!;
    clock.advance(49);
    expect(stored.metrics).toHaveLength(0);
    clock.advance(1);
    await vi.waitFor(() => expect(stored.metrics.map((metric) => metric.value)).toEqual([0.5]), {
      timeout: 10_000,
    });
    await client.close();
  });

  it('reports a refused batch at the call that logged it, and keeps the buffered points', async () => {
    const { server } = await replay('artifactproxy');
    const client = createTrackingClient({ trackingUri: server.url, env: {} });
    const experiment = await client.setExperiment('heart-disease-mlops');
    const active = await client.startRun({ experimentId: experiment.experimentId });
    await active.logParam('C', 1);
    await active.logMetric('loss', 0.5);
    const error = await active.logParam('C', 2).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
      status: 400,
      endpoint: 'runs/log-batch',
    });
    expect((error as Error).message).toContain('Changing param values is not allowed');
    await active.end();
    expect(server.runs.get(active.runId)!.metrics.map((metric) => metric.value)).toEqual([0.5]);
    await client.close();
  });
});

describe('artifact URIs', () => {
  it('refuses a cloud artifact root with a message that says what to do', async () => {
    const store = new RestStore('http://127.0.0.1:9', { env: {} });
    const error = await store
      .putArtifact(
        {
          runId: 'r',
          experimentId: '1',
          runName: 'x',
          userId: 'u',
          status: 'RUNNING',
          startTime: 0,
          artifactUri: 's3://bucket/mlflow/1/0123456789abcdef0123456789abcdef/artifacts',
          lifecycleStage: 'active',
        },
        'a.txt',
        { bytes: new Uint8Array([1]) },
      )
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_URI' });
    expect((error as Error).message).toContain('s3://bucket/mlflow/1/');
    expect((error as Error).message).toContain('--serve-artifacts');
  });

  it('streams an uploaded file from disk', async () => {
    const { server, dir } = await replay('artifactproxy');
    const big = Buffer.alloc(8 * 1024 * 1024, 7);
    await writeFile(join(dir, 'big.bin'), big);
    const bodies: string[] = [];
    const client = createTrackingClient({
      trackingUri: server.url,
      env: {},
      rest: {
        fetch: (url, init) => {
          bodies.push(init.body instanceof ReadableStream ? 'stream' : typeof init.body);
          return fetch(url, init);
        },
      },
    });
    const experiment = await client.setExperiment('heart-disease-mlops');
    const active = await client.startRun({ experimentId: experiment.experimentId });
    await active.logArtifact(join(dir, 'big.bin'));
    await active.end();
    expect(bodies).toContain('stream');
    const stored = server.artifacts.get(`1/${active.runId}/artifacts/big.bin`)!;
    expect(stored.bytes.equals(big)).toBe(true);
    expect(stored.contentType).toBe('application/octet-stream');
    expect((await stat(join(dir, 'big.bin'))).size).toBe(big.length);
  });
});
