import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createProxyFetch } from './proxy-fetch.js';

// House rule: never a secret in a message — nor in a `cause` that `console.error(error)` prints.
const SECRET = 'hunter2-s3cr3t';
let server: ReturnType<typeof createServer>;
let target: string;
beforeEach(async () => {
  server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

it('a proxy URL that does not parse fails without its password anywhere in the error', async () => {
  // A port past 65535: the URL parser refuses it and Node's error keeps the whole input.
  const proxied = createProxyFetch({ HTTP_PROXY: `http://proxy-user:${SECRET}@127.0.0.1:99999` });
  try {
    const error = await proxied.fetch(target).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    expect(inspect(error, { depth: 10 })).not.toContain(SECRET);
  } finally {
    await proxied.close();
  }
});
