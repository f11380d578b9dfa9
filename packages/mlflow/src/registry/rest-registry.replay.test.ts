import { mkdtemp, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createManualClock,
  type Exchange,
  loadExchanges,
  type Received,
  ReplayServer,
  tempDir,
} from '@heart/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { MlflowError } from '../errors.js';
import { resolveRestConfig } from '../rest/rest-config.js';
import { Transport } from '../rest/transport.js';
import { createTrackingClient } from '../tracking-client.js';
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

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** The SQL recording's run ids (`registry-sqlite-setup`). */
const RECORDED = { r1: '2b0e424b2ca245648f48ae0f12f3b2cd', r2: 'c8af0636e07e43d0846f53e3bd682fce' };

async function flowServer() {
  const dir = await tempDir('heart-registry-rest-');
  const clock = createManualClock(1_796_110_647_000);
  const server = new ReplayServer('artifactproxy', join(dir.path, 'mlartifacts'), undefined, {
    now: () => {
      clock.advance(1);
      return clock.now();
    },
  });
  await server.start();
  cleanups.push(dir.cleanup, () => server.stop());
  return { server, dir: dir.path };
}

/** The shape of a JSON value: keys and value types. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return [...new Set(value.map((item) => JSON.stringify(shape(item))))];
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, shape((value as Record<string, unknown>)[key])]),
    );
  return typeof value;
}

const API = '/api/2.0/mlflow/';
const ARTIFACTS = '/api/2.0/mlflow-artifacts/artifacts';

/** A tracking or registry request as compared: route, query names, body shape. */
function apiRequest(method: string, path: string, query: Record<string, unknown>, body: unknown) {
  return `${method} ${path} ?${Object.keys(query).sort().join('&')} ${JSON.stringify(shape(body ?? null))}`;
}

/** An artifact request as compared: a listing or a download, relative to the run's artifacts. */
function artifactRequest(method: string, path: string, query: Record<string, string[]>) {
  const relative = (text: string) => text.replace(/^\/?1\/[0-9a-f]{32}\/artifacts\/?/, '');
  return path === ARTIFACTS
    ? `LIST ${relative(query.path?.[0] ?? '')}`
    : `${method} ${relative(path.slice(ARTIFACTS.length + 1))}`;
}

function recordedRequests(call: RecordedCall) {
  const exchanges = call.seqs.map(exchange);
  const body = (item: Exchange) =>
    item.request_body.kind === 'json' ? item.request_body.json : null;
  return {
    api: exchanges
      .filter((item) => item.path.startsWith(API))
      .map((item) => apiRequest(item.method, item.path, item.query, body(item))),
    artifacts: new Set(
      exchanges
        .filter((item) => item.path.startsWith(ARTIFACTS))
        .map((item) => artifactRequest(item.method, item.path, item.query)),
    ),
  };
}

function sentRequests(received: readonly Received[]) {
  return {
    api: received
      .filter((item) => item.path.startsWith(API))
      .map((item) => apiRequest(item.method, item.path, item.query, item.json)),
    artifacts: new Set(
      received
        .filter((item) => item.path.startsWith(ARTIFACTS))
        .map((item) => artifactRequest(item.method, item.path, item.query)),
    ),
  };
}

/** The recorded answer in the public shape, timestamps as 0 (the replay's clock is not the recording's). */
function expectedResult(call: RecordedCall, normalise: (text: string) => string): unknown {
  const last = call.seqs
    .map(exchange)
    .filter((item) => item.path.startsWith(API) && item.response_body.kind === 'json')
    .at(-1);
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

const untimed = (text: string) => text.replace(/\b1\d{12}\b/g, '0');

describe('the REST registry against the MLflow 2.17.2 recordings (SQL server, proxied artifacts)', () => {
  it("sends the Python client's requests for the recorded call sequence, and reads the answers", async () => {
    const { server, dir } = await flowServer();
    const client = createTrackingClient({ trackingUri: server.url, env: {} });
    cleanups.push(() => client.close());
    const experiment = await client.setExperiment('heart-registry');
    const runs: string[] = [];
    for (const [i, c] of [1.0, 0.5].entries()) {
      await client.withRun(
        { experimentId: experiment.experimentId, runName: `logreg-${i + 1}` },
        async (run) => {
          await run.logParam('C', c);
          for (const file of MODEL_FILES) await run.logText(`${file} ${i}`, `model/${file}`);
          runs.push(run.runId);
        },
      );
    }
    const [r1, r2] = runs as [string, string];
    const context: CallContext = {
      registry: client.registry,
      r1,
      r2,
      art1: (await client.getRun(r1)).info.artifactUri,
      cacheDir: () => mkdtemp(join(dir, 'cache-')),
    };
    const normalise = (text: string) =>
      text.replaceAll(r1, RECORDED.r1).replaceAll(r2, RECORDED.r2);
    const calls = CALLS.filter(
      (call) =>
        call.scenario.startsWith('registry-sqlite-') &&
        !call.scenario.endsWith('-setup') &&
        !call.call.startsWith('RAW '),
    );
    expect(calls).toHaveLength(81);
    for (const call of calls) {
      const before = server.received.length;
      const outcome = await runCall(call, context);
      expect(outcome, call.call).toBeDefined();
      const sent = sentRequests(server.received.slice(before));
      const recorded = recordedRequests(call);
      expect(sent.api, call.call).toEqual(recorded.api);
      expect(sent.artifacts, call.call).toEqual(recorded.artifacts);
      const wanted = recordedError(call);
      if (wanted) {
        expect(outcome!.error, call.call).toBeInstanceOf(MlflowError);
        const got = outcome!.error!;
        expect({ code: got.code, status: got.status }, call.call).toEqual({
          ...(wanted.code ? { code: wanted.code } : { code: 'INVALID_PARAMETER_VALUE' }),
          status: wanted.status ?? 400,
        });
        // MLflow's words; from the server after the endpoint, as every REST error says it.
        const first = normalise(got.message).split('\n')[0]!;
        const words = wanted.message.split('\n')[0]!;
        if (call.seqs.length === 0) expect(first, call.call).toBe(words);
        else expect(first, call.call).toMatch(/^(GET|POST|PATCH|DELETE) [\w/-]+: /);
        expect(first.endsWith(words), `${call.call}: ${first}`).toBe(true);
        continue;
      }
      expect(outcome!.error, call.call).toBeUndefined();
      if (call.call.includes('download_artifacts') || call.call.startsWith('pyfunc')) {
        const { path } = outcome!.result as { path: string };
        expect((await readdir(path)).sort(), call.call).toEqual(MODEL_FILES);
        continue;
      }
      const expected = expectedResult(call, normalise);
      if (expected === undefined) continue;
      expect(JSON.parse(untimed(normalise(JSON.stringify(outcome!.result)))), call.call).toEqual(
        expected,
      );
    }
  });
});

describe('every recorded registry error answer', () => {
  for (const prefix of ['registry-sqlite', 'registry-filestore']) {
    it(`becomes the right coded MlflowError, and only transient ones are retried (${prefix})`, async () => {
      const server = new ReplayServer('verbatim', undefined, prefix);
      await server.start();
      cleanups.push(() => server.stop());
      const cases = loadExchanges('registry').filter(
        (item) => item.scenario.startsWith(`${prefix}-`) && item.status !== 200,
      );
      expect(cases).toHaveLength(prefix === 'registry-sqlite' ? 42 : 45);
      const transport = new Transport(
        resolveRestConfig(
          server.url,
          { env: {}, maxRetries: 2, backoffFactorMs: 0, backoffJitterMs: 0 },
          'heart-mlflow/test',
        ),
        (url, init) => fetch(url, init),
      );
      for (const item of cases) {
        const before = server.received.length;
        const error = await transport
          .call({
            method: item.method as 'GET' | 'POST' | 'PATCH' | 'DELETE',
            path: item.path,
            endpoint: item.path,
            query: item.query,
            ...(item.request_body.kind === 'json'
              ? { json: JSON.stringify(item.request_body.json) }
              : {}),
          })
          .then(
            () => undefined,
            (caught: unknown) => caught,
          );
        const label = `seq ${item.seq} ${item.method} ${item.path}`;
        expect(error, label).toBeInstanceOf(MlflowError);
        const mlflowError = error as MlflowError;
        const json = (item.response_body as { json: { error_code: string; message: string } }).json;
        expect(server.received[before]?.seq, label).toBe(item.seq);
        expect(mlflowError.status, label).toBe(item.status);
        expect(mlflowError.endpoint, label).toBe(item.path);
        expect(mlflowError.code, label).toBe(json.error_code);
        expect(mlflowError.message, label).toContain(json.message);
        const attempts = server.received.length - before;
        expect(attempts, label).toBe(item.status >= 500 ? 3 : 1);
      }
    });
  }
});
