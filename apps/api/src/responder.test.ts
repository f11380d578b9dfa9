import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, listenOnLoopback } from '@heart/test-support';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTurnSlicer } from './http/turn-slicer.js';
import { createMetrics } from './metrics.js';
import { createResponder } from './responder.js';
import { createRouter } from './router.js';

let server: Server;
let url: string;

beforeAll(async () => {
  const responder = createResponder({
    metrics: createMetrics(),
    logger: pino({ level: 'silent' }),
  });
  const handle = createRouter({
    routes: {
      // Answers JSON cannot write (a BigInt), now and later.
      '/now': { methods: { GET: () => ({ n: 1n }) } },
      '/later': { methods: { GET: () => Promise.resolve({ n: 1n }) } },
      '/fine': { methods: { GET: () => Promise.resolve({ ok: true }) } },
    },
    responder,
    bodyLimit: 1024,
    slicer: createTurnSlicer(),
  });
  server = createServer(handle);
  await listenOnLoopback(server);
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => closeServer(server));

describe('an answer that cannot be written', () => {
  it('is a 500 with the JSON error body, synchronous or not, and the server goes on', async () => {
    for (const path of ['/now', '/later']) {
      const response = await fetch(`${url}${path}`);
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ error: 'INTERNAL' });
    }
    const fine = await fetch(`${url}/fine`);
    expect(await fine.json()).toEqual({ ok: true });
  });
});
