import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createManualClock, startForwardProxy, tempDir } from '@heart/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { MlflowError } from '../errors.js';
import { splitLogBatch } from './batching.js';
import { guessContentType } from './content-type.js';
import { RestStore } from './rest-store.js';
import type { RetryEvent } from './rest-store-options.js';
import { parseRetryAfter } from './retry.js';
import { paramValueLimit } from './server-version.js';

const FIXTURES = join(import.meta.dirname, '..', '__fixtures__');
const servers: Server[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP server on 127.0.0.1 whose answers the test scripts, recording what it was sent. */
async function serve(
  answer: (seen: Seen, index: number, response: ServerResponse) => void,
  server: Server = createServer(),
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const item = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(item);
      answer(item, seen.length - 1, response);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const protocol = server instanceof HttpsServer ? 'https' : 'http';
  return { url: `${protocol}://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function json(response: ServerResponse, status: number, body: unknown, headers = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

const EXPERIMENT = {
  experiment: { experiment_id: '1', name: 'e', artifact_location: 'x', lifecycle_stage: 'active' },
};
const fast = { backoffFactorMs: 1, backoffJitterMs: 0 };

describe('retries', () => {
  it('retries 503 and connection resets with backoff, then succeeds', async () => {
    const { url, seen } = await serve((_seen, index, response) => {
      if (index === 0)
        return json(response, 503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' });
      if (index === 1) return response.socket?.destroy();
      json(response, 200, EXPERIMENT);
    });
    const events: RetryEvent[] = [];
    const store = new RestStore(url, { env: {}, ...fast, onRetry: (event) => events.push(event) });
    expect((await store.getExperiment('1')).name).toBe('e');
    expect(seen).toHaveLength(3);
    expect(
      events.map((event) => [
        event.attempt,
        event.reason.startsWith('HTTP') ? event.reason : 'network',
      ]),
    ).toEqual([
      [1, 'HTTP 503'],
      [2, 'network'],
    ]);
    // MLflow's schedule: no wait before the first retry, factor · 2 before the second.
    expect(events.map((event) => event.waitMs)).toEqual([0, 2]);
    await store.close();
  });

  it('honours Retry-After on 429', async () => {
    const { url } = await serve((_seen, index, response) =>
      index === 0
        ? json(
            response,
            429,
            { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' },
            { 'retry-after': '1' },
          )
        : json(response, 200, EXPERIMENT),
    );
    const events: RetryEvent[] = [];
    const clock = createManualClock();
    const store = new RestStore(url, {
      env: {},
      ...fast,
      clock,
      onRetry: (event) => events.push(event),
    });
    await store.getExperiment('1');
    expect(events[0]!.waitMs).toBe(1000);
    expect(clock.sleeps).toEqual([1000]);
    expect(parseRetryAfter('2')).toBe(2000);
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(parseRetryAfter('Tue, 01 Dec 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 09:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    await store.close();
  });

  it('does not retry a client error, and reports it coded', async () => {
    const { url, seen } = await serve((_seen, _index, response) =>
      json(response, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'bad name' }),
    );
    const store = new RestStore(url, { env: {}, ...fast });
    const error = await store.createExperiment('x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MlflowError);
    expect(error).toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
      status: 400,
      endpoint: 'experiments/create',
    });
    expect((error as Error).message).toBe('POST experiments/create: bad name');
    expect(seen).toHaveLength(1);
    await store.close();
  });

  it('times out a silent server per attempt, retries, and gives up with NETWORK_ERROR', async () => {
    const clock = createManualClock();
    // The server never answers; the attempt's timeout fires once the request has arrived.
    const { url, seen } = await serve(() => clock.advance(100));
    const store = new RestStore(url, {
      env: { MLFLOW_HTTP_REQUEST_TIMEOUT: '0.1', MLFLOW_HTTP_REQUEST_MAX_RETRIES: '2' },
      ...fast,
      clock,
    });
    const error = await store.getExperiment('1').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', endpoint: 'experiments/get' });
    expect((error as Error).message).toMatch(
      /did not answer within 100 ms \(gave up after 3 attempts\)/,
    );
    expect(seen).toHaveLength(3);
    await store.close();
  });

  it('stops at the total deadline', async () => {
    const { url, seen } = await serve((_seen, _index, response) =>
      json(response, 503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'down' }),
    );
    const clock = createManualClock();
    const store = new RestStore(url, {
      env: {},
      maxRetries: 10,
      backoffFactorMs: 100,
      backoffJitterMs: 0,
      deadlineMs: 700,
      clock,
    });
    const error = await store.getExperiment('1').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'TEMPORARILY_UNAVAILABLE', status: 503 });
    expect((error as Error).message).toContain('deadline');
    // Waits of 0, 200 and 400 ms fit in 700 ms; the next (800 ms) would not.
    expect(clock.sleeps).toEqual([200, 400]);
    expect(seen).toHaveLength(4);
    await store.close();
  });

  it('reports a refused connection without retrying forever', async () => {
    const { url } = await serve(() => {});
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const store = new RestStore(url, { env: {}, maxRetries: 1, ...fast });
    const error = await store.getExperiment('1').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'NETWORK_ERROR' });
    expect((error as Error).message).toContain('ECONNREFUSED');
    await store.close();
  });

  it('rejects malformed settings, naming the variable', () => {
    expect(
      () =>
        new RestStore('http://127.0.0.1:1', { env: { MLFLOW_HTTP_REQUEST_MAX_RETRIES: 'many' } }),
    ).toThrow(/MLFLOW_HTTP_REQUEST_MAX_RETRIES must be a number/);
    expect(
      () => new RestStore('http://127.0.0.1:1', { env: { MLFLOW_HTTP_REQUEST_MAX_RETRIES: '11' } }),
    ).toThrow(/from 0 to 10/);
    expect(
      () => new RestStore('http://127.0.0.1:1', { env: { MLFLOW_TRACKING_INSECURE_TLS: 'yes' } }),
    ).toThrow(/MLFLOW_TRACKING_INSECURE_TLS must be true, false, 1 or 0/);
    expect(() => new RestStore('ftp://127.0.0.1:1', { env: {} })).toThrow(/not an http\(s\) URL/);
  });
});

describe('authentication', () => {
  const secret = 's3cr3t-value';

  it('sends a Bearer token, or Basic credentials when both are set', async () => {
    const { url, seen } = await serve((_seen, _index, response) => json(response, 200, EXPERIMENT));
    for (const env of [
      { MLFLOW_TRACKING_TOKEN: secret },
      {
        MLFLOW_TRACKING_USERNAME: 'ann',
        MLFLOW_TRACKING_PASSWORD: secret,
        MLFLOW_TRACKING_TOKEN: 'other',
      },
    ]) {
      const store = new RestStore(url, { env });
      await store.getExperiment('1');
      await store.close();
    }
    const [bearer, basic] = seen.map((item) => item.headers.authorization);
    expect(bearer).toBe(`Bearer ${secret}`);
    expect(basic).toBe(`Basic ${Buffer.from(`ann:${secret}`).toString('base64')}`);
    expect(seen[0]!.headers['user-agent']).toMatch(/^heart-mlflow\/\d+\.\d+\.\d+ node\/20\./);
  });

  it('reads ~/.mlflow/credentials, and credentials in the URI, and never prints them', async () => {
    const home = await tempDir();
    await mkdir(join(home.path, '.mlflow'));
    await writeFile(
      join(home.path, '.mlflow', 'credentials'),
      `[other]\nmlflow_tracking_username = nobody\n[mlflow]\nmlflow_tracking_username = bob\nmlflow_tracking_password = ${secret}\n`,
    );
    const { url, seen } = await serve((_seen, _index, response) =>
      json(response, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'no such experiment' }),
    );
    const store = new RestStore(url, { env: { HOME: home.path } });
    const error = (await store
      .getExperiment('1')
      .catch((caught: unknown) => caught)) as MlflowError;
    expect(seen[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from(`bob:${secret}`).toString('base64')}`,
    );
    const withCredentials = url.replace('http://', `http://carl:${secret}@`);
    const inUri = new RestStore(withCredentials, { env: {}, maxRetries: 0 });
    expect(inUri.uri).toBe(url);
    await inUri.getExperiment('1').catch(() => undefined);
    expect(seen[1]!.headers.authorization).toBe(
      `Basic ${Buffer.from(`carl:${secret}`).toString('base64')}`,
    );
    // A network failure with credentials set: nothing secret in the message or the stack.
    const closed = new RestStore(withCredentials.replace(/:\d+$/, ':9'), {
      env: { MLFLOW_TRACKING_TOKEN: secret },
      maxRetries: 0,
    });
    const networkError = (await closed
      .getExperiment('1')
      .catch((caught: unknown) => caught)) as MlflowError;
    for (const caught of [error, networkError]) {
      expect(caught).toBeInstanceOf(MlflowError);
      expect(`${caught.message}\n${caught.stack}\n${JSON.stringify(caught)}`).not.toContain(secret);
    }
    await Promise.all([store.close(), inUri.close(), closed.close(), home.cleanup()]);
  });
});

describe('transport', () => {
  it('talks TLS: refuses an unknown certificate, accepts it with the CA or MLFLOW_TRACKING_INSECURE_TLS', async () => {
    const server = createHttpsServer({
      key: readFileSync(join(FIXTURES, 'tls-key.pem')),
      cert: readFileSync(join(FIXTURES, 'tls-cert.pem')),
    });
    const { url } = await serve(
      (_seen, _index, response) => json(response, 200, EXPERIMENT),
      server,
    );
    expect(url).toMatch(/^https:/);
    const strict = new RestStore(url, { env: {}, maxRetries: 0 });
    const error = await strict.getExperiment('1').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'NETWORK_ERROR' });
    expect((error as Error).message).toMatch(/SELF_SIGNED|CERT/);
    for (const env of [
      { MLFLOW_TRACKING_INSECURE_TLS: 'true' },
      { MLFLOW_TRACKING_SERVER_CERT_PATH: join(FIXTURES, 'tls-cert.pem') },
    ]) {
      const store = new RestStore(url, { env, maxRetries: 0 });
      expect((await store.getExperiment('1')).experimentId).toBe('1');
      await store.close();
    }
    await strict.close();
    expect(
      () =>
        new RestStore(url, {
          env: {
            MLFLOW_TRACKING_INSECURE_TLS: '1',
            MLFLOW_TRACKING_SERVER_CERT_PATH: join(FIXTURES, 'tls-cert.pem'),
          },
        }),
    ).toThrow(/cannot be true together/);
  });

  it('goes through HTTP_PROXY when it is set', async () => {
    const { url: target, seen } = await serve((_seen, _index, response) =>
      json(response, 200, EXPERIMENT),
    );
    const { url: proxy, forwarded: proxied, close } = await startForwardProxy();
    cleanups.push(close);
    const store = new RestStore(target, { env: { HTTP_PROXY: proxy, NO_PROXY: '' } });
    await store.getExperiment('1');
    await store.close();
    expect(proxied).toHaveLength(1);
    expect([
      `CONNECT ${new URL(target).host}`,
      `GET ${target}/api/2.0/mlflow/experiments/get?experiment_id=1`,
    ]).toContain(proxied[0]);
    expect(seen).toHaveLength(1);
  });
});

describe('version awareness', () => {
  it('reads /version once and cuts long params to an older server’s limit', async () => {
    const { url, seen } = await serve((item, _index, response) => {
      if (item.url === '/version') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end('2.5.0');
        return;
      }
      json(response, 200, {});
    });
    const store = new RestStore(url, { env: {} });
    await store.logBatch('r1', { params: [{ key: 'short', value: 'x' }] });
    await store.logBatch('r1', { params: [{ key: 'long', value: 'y'.repeat(700) }] });
    await store.logBatch('r1', { params: [{ key: 'long2', value: 'z'.repeat(700) }] });
    expect(seen.map((item) => item.url)).toEqual([
      '/api/2.0/mlflow/runs/log-batch',
      '/version',
      '/api/2.0/mlflow/runs/log-batch',
      '/api/2.0/mlflow/runs/log-batch',
    ]);
    const sent = JSON.parse(seen[2]!.body) as { params: { value: string }[] };
    expect(sent.params[0]!.value).toHaveLength(500);
    expect(await store.serverVersion()).toBe('2.5.0');
    await store.close();
    expect([
      paramValueLimit('1.27.0'),
      paramValueLimit('1.30.1'),
      paramValueLimit('2.7.1'),
      paramValueLimit('2.8.0'),
      paramValueLimit('3.9.0'),
      paramValueLimit(undefined),
    ]).toEqual([250, 500, 500, 6000, 6000, 6000]);
  });
});

describe('wire details', () => {
  it('splits by bytes as well as by count', () => {
    // 100 params of 6000 four-byte characters would be 2.4 MB in one request.
    const params = Array.from({ length: 100 }, (_, i) => ({
      key: `p${i}`,
      value: '😀'.repeat(6000),
    }));
    const batches = splitLogBatch('0123456789abcdef0123456789abcdef', { params });
    expect(batches.length).toBeGreaterThan(2);
    expect(batches.reduce((sum, batch) => sum + batch.params, 0)).toBe(100);
    for (const batch of batches)
      expect(Buffer.byteLength(batch.json)).toBeLessThanOrEqual(1_000_000);
    const parsed = batches.flatMap(
      (batch) => (JSON.parse(batch.json) as { params: { value: string }[] }).params,
    );
    expect(parsed[99]!.value).toBe('😀'.repeat(6000));
  });

  it('names content types as MLflow does', () => {
    expect(
      [
        'model/MLmodel',
        'a.json',
        'b.yaml',
        'c.txt',
        'd.png',
        'e.svg',
        'f.pkl',
        'g.onnx',
        'h.csv',
      ].map(guessContentType),
    ).toEqual([
      'text/plain',
      'text/plain',
      'text/plain',
      'text/plain',
      'image/png',
      'image/svg+xml',
      'application/octet-stream',
      'application/octet-stream',
      'text/plain',
    ]);
    // Names every object inherits are no known extensions.
    expect(['constructor', 'x.CONSTRUCTOR', 'model.__proto__'].map(guessContentType)).toEqual([
      'application/octet-stream',
      'application/octet-stream',
      'application/octet-stream',
    ]);
  });
});
