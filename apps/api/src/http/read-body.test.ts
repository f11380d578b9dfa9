import {
  Agent,
  type ClientRequest,
  createServer,
  type OutgoingHttpHeaders,
  request,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, ApiProblem } from '../errors.js';
import { jsonContentProblem } from './content-type.js';
import { parseJsonBody } from './parse-json.js';
import { type BodyCallback, readBody } from './read-body.js';

/** A small limit, so bodies past it are easy to write. */
const LIMIT = 64;
const JSON_HEADERS = { 'content-type': 'application/json' };

/** One call of readJsonBody's callback. */
type Outcome = { problem?: ApiProblem; body?: unknown };

/** What the server saw of one request: every callback call, and when it was through with it. */
interface Seen {
  calls: Outcome[];
  closed: Promise<void>;
}

const arrivals = new Map<string, (seen: Seen) => void>();

/** What the router does with a JSON route's body: content type, bytes, then JSON. */
function readJson(
  incoming: Parameters<typeof readBody>[0],
  limit: number,
  done: (problem: ApiProblem | undefined, body?: unknown) => void,
  drain?: Parameters<typeof readBody>[3],
): void {
  const refused = jsonContentProblem(incoming.headers['content-type']);
  if (refused) {
    incoming.resume();
    done(refused);
    return;
  }
  const onBytes: BodyCallback = (problem, bytes) => {
    if (problem) return done(problem);
    try {
      done(undefined, parseJsonBody(bytes!, { bom: true }));
    } catch (error) {
      done({ code: (error as ApiError).code, message: (error as ApiError).message });
    }
  };
  readBody(incoming, limit, onBytes, drain);
}
const agent = new Agent({ keepAlive: true });
let server: Server;
let port: number;
let cases = 0;

// A real node:http server on 127.0.0.1 that reads each body with readJsonBody and answers the first
// outcome as JSON; it records every call, so a test can check there was exactly one.
beforeAll(async () => {
  server = createServer((incoming, response) => {
    const calls: Outcome[] = [];
    // The request is over when it closes, or (a drained body) when its connection does.
    const closed = new Promise<void>((done) => {
      const onSocketClose = () => done();
      incoming.socket.once('close', onSocketClose);
      incoming.on('close', () => {
        incoming.socket.off('close', onSocketClose);
        done();
      });
    });
    arrivals.get(String(incoming.headers['x-case']))?.({ calls, closed });
    const drain = incoming.headers['x-drain'] ? { bytes: 1024, ms: 300 } : undefined;
    readJson(
      incoming,
      LIMIT,
      (problem, body) => {
        calls.push(problem ? { problem } : { body });
        if (calls.length === 1) response.end(JSON.stringify(calls[0]));
      },
      drain,
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  agent.destroy();
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

/**
 * Opens a POST whose body the test writes itself (chunked unless `content-length` is given):
 * `answer` is the outcome the server answered, `seen` what the server saw of the request.
 */
function open(headers: OutgoingHttpHeaders): {
  req: ClientRequest;
  answer: Promise<Outcome>;
  seen: Promise<Seen>;
} {
  const name = `case-${++cases}`;
  const seen = new Promise<Seen>((done) => arrivals.set(name, done));
  const req = request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/',
    agent,
    headers: { 'x-case': name, ...headers },
  });
  const answer = new Promise<Outcome>((done, fail) => {
    req.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => done(JSON.parse(text) as Outcome));
    });
    req.on('error', fail);
  });
  req.flushHeaders();
  return { req, answer, seen };
}

/** Sends `chunks` as one body (declaring its size unless `chunked`) and returns the outcome. */
async function post(
  chunks: (string | Buffer)[],
  {
    headers = JSON_HEADERS,
    chunked = false,
  }: { headers?: OutgoingHttpHeaders; chunked?: boolean } = {},
): Promise<Outcome> {
  const size = chunks.reduce((sum, chunk) => sum + Buffer.byteLength(chunk), 0);
  const exchange = open(chunked ? headers : { ...headers, 'content-length': size });
  for (const chunk of chunks) exchange.req.write(chunk);
  exchange.req.end();
  const answer = await exchange.answer;
  const { calls, closed } = await exchange.seen;
  await closed;
  expect(calls).toEqual([answer]);
  return answer;
}

/** The outcome of a refused body. */
const refused = (code: ApiProblem['code'], message: string | RegExp) => ({
  problem: {
    code,
    message: typeof message === 'string' ? message : expect.stringMatching(message),
  },
});

describe('reading a JSON body (readBody, jsonContentProblem, parseJsonBody)', () => {
  it('parses a JSON body, whole or in chunks, declared or streamed, up to the limit', async () => {
    expect(await post(['{"age":63,"ca":null}'])).toEqual({ body: { age: 63, ca: null } });
    expect(await post(['[1,', '2,', '3]'], { chunked: true })).toEqual({ body: [1, 2, 3] });
    // A character split across chunks is put back together before the UTF-8 check.
    const accented = Buffer.from('{"name":"é"}');
    const at = accented.indexOf(0xc3) + 1;
    expect(
      await post([accented.subarray(0, at), accented.subarray(at)], { chunked: true }),
    ).toEqual({ body: { name: 'é' } });
    const exact = `{"pad":"${'x'.repeat(LIMIT - 10)}"}`;
    expect(Buffer.byteLength(exact)).toBe(LIMIT);
    expect(await post([exact])).toEqual({ body: { pad: 'x'.repeat(LIMIT - 10) } });
    expect(await post([exact.slice(0, 30), exact.slice(30)], { chunked: true })).toEqual({
      body: { pad: 'x'.repeat(LIMIT - 10) },
    });
  });

  it('accepts application/json with parameters and in any case, and nothing else (415)', async () => {
    for (const type of [
      'application/json; charset=utf-8',
      'Application/JSON',
      'application/json ;charset=utf-8',
      'application/json; charset="UTF-8"',
      'application/json; charset=utf8',
    ]) {
      expect(await post(['{}'], { headers: { 'content-type': type } })).toEqual({ body: {} });
    }
    for (const type of ['text/plain', 'application/jsonx', 'application/json-patch+json', 'json']) {
      expect(await post(['{}'], { headers: { 'content-type': type } })).toEqual(
        refused(
          'UNSUPPORTED_MEDIA_TYPE',
          `Content-Type "${type}" is not supported; send application/json`,
        ),
      );
    }
    expect(await post(['{}'], { headers: {} })).toEqual(
      refused('UNSUPPORTED_MEDIA_TYPE', 'Content-Type "" is not supported; send application/json'),
    );
  });

  it('refuses a charset other than UTF-8 (415), and skips a UTF-8 byte order mark', async () => {
    for (const charset of ['latin-1', 'utf-16', '"iso-8859-1"', '']) {
      expect(
        await post(['{}'], { headers: { 'content-type': `application/json; charset=${charset}` } }),
      ).toEqual(
        refused(
          'UNSUPPORTED_MEDIA_TYPE',
          `charset ${JSON.stringify(charset)} is not supported; send UTF-8 (charset=utf-8)`,
        ),
      );
    }
    expect(await post([Buffer.from([0xef, 0xbb, 0xbf]), '{"age":63}'])).toEqual({
      body: { age: 63 },
    });
  });

  it('checks the content type before the size', async () => {
    const huge = 'x'.repeat(LIMIT * 4);
    expect(await post([huge], { headers: { 'content-type': 'text/plain' } })).toMatchObject({
      problem: { code: 'UNSUPPORTED_MEDIA_TYPE' },
    });
  });

  it('refuses a declared size past the limit (413) before any of the body is sent', async () => {
    const exchange = open({ ...JSON_HEADERS, 'content-length': LIMIT + 1 });
    // Only the headers have gone out: an answer now proves the body was never waited for.
    expect(await exchange.answer).toEqual(
      refused('PAYLOAD_TOO_LARGE', `body larger than ${LIMIT} bytes`),
    );
    // The body is drained, not parsed: no second call when it ends.
    exchange.req.end(`{"pad":"${'x'.repeat(LIMIT - 9)}"}`);
    const { calls, closed } = await exchange.seen;
    await closed;
    expect(calls).toHaveLength(1);
  });

  it('refuses a streamed body (413) as soon as it passes the limit, and calls back only once', async () => {
    const exchange = open(JSON_HEADERS);
    exchange.req.write(`{"pad":"${'x'.repeat(LIMIT / 2)}`);
    exchange.req.write('x'.repeat(LIMIT / 2));
    // The body is not finished: an answer now proves the limit was enforced while reading.
    expect(await exchange.answer).toEqual(
      refused('PAYLOAD_TOO_LARGE', `body larger than ${LIMIT} bytes`),
    );
    // The rest is drained, not parsed: no second call when it ends.
    exchange.req.end(`${'x'.repeat(LIMIT)}"}`);
    const { calls, closed } = await exchange.seen;
    await closed;
    expect(calls).toHaveLength(1);
  });

  it('refuses an empty or blank body (400)', async () => {
    const empty = refused('MALFORMED_JSON', 'the body is empty; send a JSON object');
    expect(await post([])).toEqual(empty);
    expect(await post([' \n\t '])).toEqual(empty);
    expect(await post([], { chunked: true })).toEqual(empty);
  });

  it('refuses bytes that are not UTF-8 (400), even inside a JSON string', async () => {
    const notUtf8 = refused('MALFORMED_JSON', 'the body is not valid UTF-8');
    expect(await post([Buffer.from([0x7b, 0xff, 0xfe, 0x7d])])).toEqual(notUtf8);
    expect(await post([Buffer.from('{"x":"'), Buffer.from([0xc3, 0x28]), '"}'])).toEqual(notUtf8);
    // An encoded UTF-16 surrogate is not UTF-8 either.
    expect(await post([Buffer.from('{"x":"'), Buffer.from([0xed, 0xa0, 0x80]), '"}'])).toEqual(
      notUtf8,
    );
  });

  it("refuses malformed JSON (400) with the parser's reason", async () => {
    for (const text of ['{"age": 63,', '{age: 63}', 'NaN', '[1,]', "{'a':1}", '{"a":1}}']) {
      expect(await post([text])).toEqual(
        refused('MALFORMED_JSON', /^the body is not valid JSON \(.+\)$/),
      );
    }
  });

  it('parses JSON values that are not objects: refusing them is the schema’s job', async () => {
    expect(await post(['null'])).toEqual({ body: null });
    expect(await post(['"patient"'])).toEqual({ body: 'patient' });
    expect(await post(['{"__proto__":{"admin":true}}'])).toEqual({
      body: JSON.parse('{"__proto__":{"admin":true}}'),
    });
  });

  it('drains a refused body the client keeps sending, then closes: the client reads its 413 first', async () => {
    // With x-drain the server drains 1 KiB past the limit, or 300 ms: this client sends far more.
    const exchange = open({ ...JSON_HEADERS, 'x-drain': '1', 'content-length': 10 * 1024 * 1024 });
    exchange.req.on('error', () => {});
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    const pump = () => {
      while (exchange.req.write(chunk)) {
        if (exchange.req.destroyed) return;
      }
      exchange.req.once('drain', pump);
    };
    pump();
    expect(await exchange.answer).toEqual(
      refused('PAYLOAD_TOO_LARGE', `body larger than ${LIMIT} bytes`),
    );
    const { calls, closed } = await exchange.seen;
    await closed;
    expect(calls).toHaveLength(1);
    exchange.req.destroy();
  });

  it('closes a refused body whose client stalls, once the drain time is up', async () => {
    const exchange = open({ ...JSON_HEADERS, 'x-drain': '1', 'content-length': LIMIT * 100 });
    exchange.req.on('error', () => {});
    exchange.req.write('{"pad":"');
    expect(await exchange.answer).toMatchObject({ problem: { code: 'PAYLOAD_TOO_LARGE' } });
    // The client sends nothing more: the server's 300 ms drain ends and it closes the connection.
    const { closed } = await exchange.seen;
    await closed;
    exchange.req.destroy();
  });

  it('never calls back for a client that goes away mid-body', async () => {
    const exchange = open(JSON_HEADERS);
    exchange.answer.catch(() => {});
    exchange.req.write('{"age":');
    const { calls, closed } = await exchange.seen;
    exchange.req.destroy();
    await closed;
    expect(calls).toEqual([]);
    // The server keeps serving.
    expect(await post(['{}'])).toEqual({ body: {} });
  });
});
