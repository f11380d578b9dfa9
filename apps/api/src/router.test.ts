import { createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { closeServer, listenOnLoopback } from '@heart/test-support';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';
import { createResponder } from './responder.js';
import { createRouter, JSON_BODY } from './router.js';

describe('work queued for a client that has gone', () => {
  it('is skipped: the handler never runs once the socket is destroyed', async () => {
    // A slicer that holds every task until the test lets it go: the client leaves in between.
    const held: (() => void)[] = [];
    let scored = 0;
    const router = createRouter({
      routes: {
        '/score': {
          body: JSON_BODY,
          methods: {
            POST: () => {
              scored++;
              return { ok: true };
            },
          },
        },
      },
      responder: createResponder({ metrics: createMetrics(), logger: pino({ level: 'silent' }) }),
      bodyLimit: 1024,
      slicer: { run: (task) => held.push(task), hurry: () => undefined },
    });
    const gone = createServer(router);
    await listenOnLoopback(gone);
    try {
      const { port } = gone.address() as AddressInfo;
      const closed = new Promise<void>((resolve) => {
        gone.once('connection', (socket) => socket.once('close', () => resolve()));
      });
      const client = connect(port, '127.0.0.1');
      const body = '{"age":63}';
      client.write(
        `POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      await waitFor(() => held.length === 1);
      client.destroy();
      await closed;
      for (const task of held.splice(0)) task();
      expect(scored).toBe(0);
      // The same route answers a client that stays.
      const response = await fetchHeld(port, held);
      expect(response).toEqual({ ok: true });
      expect(scored).toBe(1);
    } finally {
      await closeServer(gone);
    }
  });
});

/** Polls `done` on the event loop (no clock: each poll is one turn). */
async function waitFor(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}

/** POSTs to /score and runs the held task once it is queued; the parsed answer. */
async function fetchHeld(port: number, held: (() => void)[]): Promise<unknown> {
  const response = fetch(`http://127.0.0.1:${port}/score`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  await waitFor(() => held.length === 1);
  held.splice(0)[0]!();
  return (await response).json();
}
