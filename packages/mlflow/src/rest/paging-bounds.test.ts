import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MlflowError } from '../errors.js';
import { RestSyncSource } from '../sync/rest-source.js';
import { RestStore } from './rest-store.js';

/**
 * A tracking server whose paged answers never end: every page names the same next_page_token.
 * It gives up after 500 pages (ending the paging), so a client that does not notice the loop
 * finishes — with 500 pages of duplicates — instead of hanging the test.
 */
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const GIVE_UP = 500;

async function loopingServer(page: (path: string) => Record<string, unknown>) {
  const seen: string[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on('end', () => {
      const path = (request.url ?? '').split('?')[0]!;
      seen.push(path);
      const body = page(path);
      if (seen.length < GIVE_UP) body.next_page_token = 'c2FtZQ==';
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

async function refusal(call: Promise<unknown>): Promise<MlflowError> {
  const error = await call.then(
    () => new Error('paged to the end of a looping answer'),
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(MlflowError);
  return error as MlflowError;
}

describe('a server whose next_page_token never changes', () => {
  it('getMetricHistory stops at the repeated token with UNEXPECTED_RESPONSE', async () => {
    const server = await loopingServer(() => ({
      metrics: [{ key: 'loss', value: 1, timestamp: 1, step: 0 }],
    }));
    const store = new RestStore(server.url, { env: {} });
    const error = await refusal(store.getMetricHistory('r1', 'loss'));
    expect(error.code).toBe('UNEXPECTED_RESPONSE');
    expect(error.message).toMatch(/metrics\/get-history.*next_page_token.*again/);
    expect(server.seen.length).toBeLessThanOrEqual(3);
  });

  it("sync's REST source stops listing experiments at the repeated token", async () => {
    const server = await loopingServer(() => ({
      experiments: [
        { experiment_id: '1', name: 'e', artifact_location: 'x', lifecycle_stage: 'active' },
      ],
    }));
    const source = new RestSyncSource(new RestStore(server.url, { env: {} }));
    const error = await refusal(source.listExperiments());
    expect(error.code).toBe('UNEXPECTED_RESPONSE');
    expect(server.seen.length).toBeLessThanOrEqual(3);
  });
});
