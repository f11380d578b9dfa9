import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineBundle } from './model-bundle.js';
import { loadBundleFromDir } from './model-store.js';
import { EXAMPLE_PATIENT } from './schemas.js';
import { writeModelDir } from './test-support/fixtures.js';
import { type LiveApp, startLiveApp } from './test-support/live-app.js';
import { rawExchange } from './test-support/raw-http.js';

/** What an outside attack found: each case here failed before its fix. */

let fixture: Awaited<ReturnType<typeof writeModelDir>>;
let bundle: PipelineBundle;
let live: LiveApp;
let wide: LiveApp;

beforeAll(async () => {
  fixture = await writeModelDir('random-forest');
  bundle = await loadBundleFromDir(fixture.dir);
  live = await startLiveApp(
    { holder: { bundle } },
    { headersMs: 500, requestMs: 1000, checkMs: 100 },
  );
  // The documented maximum limits: BODY_LIMIT 100 MiB, BATCH_LIMIT 100,000.
  wide = await startLiveApp({
    holder: { bundle: await loadBundleFromDir(fixture.dir, { batchLimit: 100_000 }) },
    config: { bodyLimit: 100 * 1_048_576, batchLimit: 100_000, threshold: undefined },
  });
});
afterAll(async () => {
  await live.close();
  await wide.close();
  await fixture.cleanup();
});

const post = (app: LiveApp, path: string, body: string | Buffer, type = 'application/json') =>
  fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });

const raw = (head: string, body = '') =>
  Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body)]);

describe('an error answer stays small whatever the body', () => {
  it('lists at most 20 problems and counts the rest: {"rows":[{}×1000]} (4 KB) → a small 400 and short log lines', async () => {
    live.logs.length = 0;
    const body = JSON.stringify({ rows: Array.from({ length: 1000 }, () => ({})) });
    const answer = await post(live, '/predict/batch', body);
    const text = await answer.text();
    expect(answer.status).toBe(400);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(16 * 1024);
    const json = JSON.parse(text);
    expect(json.details).toHaveLength(20);
    expect(json.omitted).toBe(1000 * 11 - 20);
    expect(json.message).toMatch(/^11000 invalid fields: rows\/0\/age, .*, and 10980 more$/);
    expect(live.logs.length).toBeGreaterThan(0);
    for (const line of live.logs) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(2048);
  });

  it('refuses a 400 KB batch of bad rows at the maximum limits with a bounded answer', async () => {
    const row = { ...EXAMPLE_PATIENT, cp: 9, extra: 'x', sex: 'm' };
    const body = JSON.stringify({ rows: Array.from({ length: 2700 }, () => row) });
    expect(body.length).toBeGreaterThan(400_000);
    const answer = await post(wide, '/predict/batch', body);
    const text = await answer.text();
    expect(answer.status).toBe(400);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(16 * 1024);
    expect(JSON.parse(text)).toMatchObject({ error: 'VALIDATION_FAILED', omitted: 2700 * 3 - 20 });
  });

  it('keeps problems about huge field names and many unknown fields small too', async () => {
    const fields = Object.fromEntries(
      Array.from({ length: 20_000 }, (_, i) => [`${'k'.repeat(500)}${i}`, i]),
    );
    const answer = await post(
      live,
      '/predict',
      JSON.stringify({ ...EXAMPLE_PATIENT, ...fields })
        .slice(0, 1_000_000)
        .replace(/,"[^"]*$/, '}'),
    );
    const text = await answer.text();
    expect(answer.status).toBe(400);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(16 * 1024);
    for (const line of live.logs) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(2048);
  });
});

describe('a refused body is read by the client', () => {
  it('answers a declared 4 MiB body 413 and drains it, so the client reads its 413 every time', async () => {
    // Closing at once lost the answer half the time with 2 MB where it was found, every time with
    // 4 MiB here (loopback buffers take 2 MB whole): the client's write fails, its read never comes.
    const body = Buffer.alloc(4 * 1024 * 1024, 0x20);
    for (let i = 0; i < 10; i++) {
      const head = `POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
      // As most clients do: send the whole request, then read the answer.
      const answer = await rawExchange(live.port, Buffer.concat([Buffer.from(head), body]), {
        readAfterWrite: true,
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body.toString())).toMatchObject({ error: 'PAYLOAD_TOO_LARGE' });
    }
  });

  it('answers 413 to a client that keeps streaming far past the limit, then closes', async () => {
    const head =
      'POST /predict/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
    const chunk = Buffer.from(`10000\r\n${' '.repeat(0x10000)}\r\n`);
    const answer = await rawExchange(live.port, Buffer.from(head), { keepWriting: chunk });
    expect(answer.status).toBe(413);
  });
});

describe("Node's own errors, headers and content types", () => {
  it("answers Node's parser errors (400, 431) and a slow client (408) with heart's JSON error body", async () => {
    const bad = await rawExchange(
      live.port,
      raw('GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'),
    );
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(bad.headers['x-content-type-options']).toBe('nosniff');
    expect(JSON.parse(bad.body.toString())).toEqual({
      error: 'BAD_REQUEST',
      message: 'the HTTP request is malformed',
      requestId: 'none',
    });
    const big = await rawExchange(
      live.port,
      raw(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
    );
    expect(big.status).toBe(431);
    expect(JSON.parse(big.body.toString()).error).toBe('HEADERS_TOO_LARGE');
    // Half a request line, then nothing: the server's 500 ms headers timeout answers 408.
    const slow = await rawExchange(live.port, raw('GET /health HTTP/1.1\r\nHost: x\r\n'));
    expect(slow.status).toBe(408);
    expect(JSON.parse(slow.body.toString()).error).toBe('REQUEST_TIMEOUT');
  });

  it('does not repeat the path of an unknown route', async () => {
    const answer = await fetch(`${live.url}/%3Cscript%3Ealert(1)%3C/script%3E`);
    expect(answer.status).toBe(404);
    const text = await answer.text();
    expect(text).not.toMatch(/script|alert/i);
    expect(JSON.parse(text).message).toBe('no such route; see /docs for the routes');
  });

  it('sends X-Content-Type-Options: nosniff on every answer, and a CSP on the docs pages', async () => {
    const answers = await Promise.all([
      fetch(`${live.url}/health`),
      fetch(`${live.url}/docs`),
      fetch(`${live.url}/redoc`),
      fetch(`${live.url}/docs/swagger-ui-bundle.js`),
      fetch(`${live.url}/openapi.json`),
      fetch(`${live.url}/metrics`),
      fetch(`${live.url}/nope`),
      fetch(`${live.url}/predict`),
      fetch(`${live.url}/ping`),
      post(live, '/predict', '{}', 'text/plain'),
      post(live, '/invocations', 'x', 'text/plain'),
    ]);
    for (const answer of answers)
      expect(answer.headers.get('x-content-type-options'), answer.url).toBe('nosniff');
    for (const page of answers.slice(1, 3)) {
      expect(page.headers.get('content-security-policy')).toContain(
        "default-src 'none'; script-src 'self'",
      );
    }
  });

  it("accepts a UTF-8 byte order mark on heart's routes, and refuses a charset other than UTF-8 (415)", async () => {
    const bom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(JSON.stringify(EXAMPLE_PATIENT)),
    ]);
    expect((await post(live, '/predict', bom)).status).toBe(200);
    expect(
      (
        await post(
          live,
          '/predict/batch',
          Buffer.concat([
            bom.subarray(0, 3),
            Buffer.from(JSON.stringify({ rows: [EXAMPLE_PATIENT] })),
          ]),
        )
      ).status,
    ).toBe(200);
    const latin = await post(
      live,
      '/predict',
      JSON.stringify(EXAMPLE_PATIENT),
      'application/json; charset=latin-1',
    );
    expect(latin.status).toBe(415);
    expect(((await latin.json()) as { error: string }).error).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('keeps serving on a connection a client abandoned mid-request', async () => {
    const socket = connect(live.port, '127.0.0.1');
    await new Promise((done) => socket.once('connect', done));
    socket.write(
      'POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"age":',
    );
    socket.destroy();
    expect((await post(live, '/predict', JSON.stringify(EXAMPLE_PATIENT))).status).toBe(200);
  });
});
