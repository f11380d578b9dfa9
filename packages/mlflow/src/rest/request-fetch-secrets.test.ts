import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTrackingClient } from '../tracking-client.js';
import { createRequestFetch } from './request-fetch.js';

// House rule: never a secret in a message — nor in a `cause` that `console.error(error)` prints.
const SECRET = 'hunter2-s3cr3t';
const BAD_PROXY = `http://proxy-user:${SECRET}@127.0.0.1:99999`;
let server: ReturnType<typeof createServer>;
let target: string;
beforeEach(async () => {
  server = createServer((_req, res) => res.end('{}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

it('the REST client: a proxy URL that does not parse is reported without its password', async () => {
  const client = createTrackingClient({
    trackingUri: target,
    env: { HTTP_PROXY: BAD_PROXY, MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0' },
  });
  try {
    const error = await client.createExperiment('heart').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'NETWORK_ERROR' });
    expect(inspect(error, { depth: 10 })).not.toContain(SECRET);
  } finally {
    await client.close();
  }
});

it('the sync fetch: a proxy URL that does not parse is reported without its password', async () => {
  const fast = createRequestFetch({ HTTP_PROXY: BAD_PROXY }, { rejectUnauthorized: true });
  try {
    const error = await fast.fetch(`${target}/api/2.0/mlflow/experiments/search`, {}).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    expect(inspect(error, { depth: 10 })).not.toContain(SECRET);
  } finally {
    await fast.close();
  }
});
