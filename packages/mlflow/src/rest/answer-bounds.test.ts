import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { mlflowError } from '../test-support/mlflow-error.js';
import { createRequestFetch } from './request-fetch.js';
import { RestStore } from './rest-store.js';

const RUN = JSON.stringify({ run: { info: { run_id: 'r1', experiment_id: '0' }, data: {} } });
const CHUNK = Buffer.alloc(64 * 1024, 0x20);
/** What the endless answers write at most, so that a client that reads on cannot hang the test. */
const MOST = 256;

const servers: Server[] = [];
const fetchers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const fetcher of fetchers.splice(0)) await fetcher.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server answering every request with `answer`; `written` counts the body chunks it got out. */
async function serve(answer: (response: ServerResponse) => void) {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on('end', () => answer(response));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A chunked answer of spaces that goes on (up to MOST chunks of 64 KiB) while the client reads. */
function endless(status: number, sent: { chunks: number; closed: boolean }) {
  return (response: ServerResponse) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.on('close', () => {
      sent.closed = true;
    });
    const more = () => {
      while (sent.chunks < MOST && !sent.closed) {
        sent.chunks++;
        if (!response.write(CHUNK)) return void response.once('drain', more);
      }
      response.end();
    };
    more();
  };
}

/** Both fetches a RestStore may use: undici's request (the default), and the global fetch. */
function fetches() {
  const light = createRequestFetch({}, { rejectUnauthorized: true });
  fetchers.push(light);
  return [
    ['undici request', light.fetch],
    ['global fetch', (url: string, init: RequestInit) => fetch(url, init)],
  ] as const;
}

const store = (url: string, fetchImpl: ReturnType<typeof fetches>[number][1], limit?: number) =>
  new RestStore(url, {
    env: {},
    maxRetries: 0,
    fetch: fetchImpl as never,
    ...(limit === undefined ? {} : { maxAnswerBytes: limit }),
  });

describe('answers larger than maxAnswerBytes', () => {
  it('refuses a declared length over the limit, reads one at the limit', async () => {
    const url = await serve((response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(RUN);
    });
    for (const [, fetchImpl] of fetches()) {
      const error = await mlflowError(store(url, fetchImpl, RUN.length - 1).getRun('r1'));
      expect(error.code).toBe('UNEXPECTED_RESPONSE');
      expect(error.message).toContain(`larger than ${RUN.length - 1} bytes`);
      expect(error.message).toContain('maxAnswerBytes');
      expect((await store(url, fetchImpl, RUN.length).getRun('r1')).info.runId).toBe('r1');
    }
  });

  it('stops reading an answer without a length at the limit, and does not read the rest', async () => {
    for (const [how, fetchImpl] of fetches()) {
      const sent = { chunks: 0, closed: false };
      const url = await serve(endless(200, sent));
      const error = await mlflowError(store(url, fetchImpl, 1024 * 1024).getRun('r1'));
      expect(error.code, how).toBe('UNEXPECTED_RESPONSE');
      expect(error.message).toContain(`larger than ${1024 * 1024} bytes`);
      // 1 MiB is 16 chunks; the socket's buffers hold a few more, never the whole 16 MiB.
      await expect.poll(() => sent.closed).toBe(true);
      expect(sent.chunks, how).toBeLessThan(MOST);
    }
  });

  it('refuses a compressed answer that grows past the limit (declared length: its compressed size)', async () => {
    const packed = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));
    const url = await serve((response) => {
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': packed.length,
      });
      response.end(packed);
    });
    // The global fetch inflates it: 8 MiB from ~8 KiB on the wire.
    const error = await mlflowError(
      store(url, (target: string, init: RequestInit) => fetch(target, init), 1024 * 1024).getRun(
        'r1',
      ),
    );
    expect(error.code).toBe('UNEXPECTED_RESPONSE');
    expect(error.message).toContain('larger than');
  });

  it('reads the first 64 KiB of an error answer only, and still names the failure', async () => {
    for (const [how, fetchImpl] of fetches()) {
      const sent = { chunks: 0, closed: false };
      const url = await serve(endless(400, sent));
      const error = await mlflowError(store(url, fetchImpl).getRun('r1'));
      expect(error.status, how).toBe(400);
      expect(error.message.length).toBeLessThan(2048);
      await expect.poll(() => sent.closed).toBe(true);
      expect(sent.chunks, how).toBeLessThan(MOST);
    }
  });

  it('refuses a limit that is not a whole number of bytes', () => {
    for (const limit of [0, -1, 1.5, Number.NaN, '1024' as unknown as number]) {
      expect(() => store('http://127.0.0.1:1', fetches()[1][1], limit)).toThrow(/maxAnswerBytes/);
    }
  });
});
