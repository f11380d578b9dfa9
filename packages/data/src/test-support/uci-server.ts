import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { UCI_DIR } from '@heart/test-support';

/** What the server does with one request instead of serving the file. */
type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'truncate'; bytes: number }
  /** Never answers; `onArrive` runs when the request is in (a test moves its clock past the timeout). */
  | { kind: 'hang'; onArrive?: () => void }
  | { kind: 'reset' }
  | { kind: 'replace'; body: string }
  /** `bytes` of zeros, declared with Content-Length or streamed chunked (no length). */
  | { kind: 'huge'; bytes: number; declared: boolean }
  /** A small gzip body that inflates to `bytes` of zeros, as `Content-Encoding: gzip`. */
  | { kind: 'gzip-bomb'; bytes: number }
  /** A redirect to the same URL, for ever. */
  | { kind: 'redirect-loop' };

export interface UciServer {
  url: string;
  /** Paths of every request received, in order. */
  requests: string[];
  /** Queue faults for a path (`/processed.cleveland.data`); each request consumes one. */
  fail(path: string, ...faults: Fault[]): void;
  close(): Promise<void>;
}

/** A loopback HTTP server serving the fixture copy of the UCI folder, with faults on demand. */
export async function startUciServer(dir = UCI_DIR): Promise<UciServer> {
  const requests: string[] = [];
  const faults = new Map<string, Fault[]>();
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    const fault = faults.get(path)?.shift();
    await handle(dir, path, fault, req, res);
  });
  return listen<Omit<UciServer, 'url' | 'close'>>(server, {
    requests,
    fail(path, ...queued) {
      faults.set(path, [...(faults.get(path) ?? []), ...queued]);
    },
  });
}

async function handle(
  dir: string,
  path: string,
  fault: Fault | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (fault?.kind === 'status') {
    res.writeHead(fault.status, fault.headers);
    res.end(fault.body ?? '');
    return;
  }
  if (fault?.kind === 'reset') {
    req.socket.destroy();
    return;
  }
  if (fault?.kind === 'hang') {
    fault.onArrive?.();
    return;
  }
  if (fault && (await hostile(fault, path, res))) return;
  if (fault?.kind === 'replace') {
    res.writeHead(200, {
      'content-type': 'text/plain',
      'content-length': Buffer.byteLength(fault.body),
    });
    res.end(fault.body);
    return;
  }
  const name = path.replace(/^\/+/, '');
  if (name.includes('..') || name.includes('/')) {
    res.writeHead(404).end();
    return;
  }
  const body = await readFile(join(dir, name)).catch(() => undefined);
  if (!body) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
  if (fault?.kind === 'truncate') {
    res.write(body.subarray(0, fault.bytes), () => req.socket.destroy());
    return;
  }
  res.end(body);
}

async function listen<T extends object>(
  server: Server,
  extra: T,
): Promise<T & { url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...extra,
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The hostile answers: a huge body, a gzip bomb, a redirect loop (true when it answered). */
async function hostile(fault: Fault, path: string, res: ServerResponse): Promise<boolean> {
  if (fault.kind === 'redirect-loop') {
    res.writeHead(302, { location: path }).end();
    return true;
  }
  if (fault.kind === 'gzip-bomb') {
    const bomb = gzipSync(Buffer.alloc(fault.bytes));
    res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': bomb.length });
    res.end(bomb);
    return true;
  }
  if (fault.kind !== 'huge') return false;
  res.writeHead(200, fault.declared ? { 'content-length': fault.bytes } : {});
  const chunk = Buffer.alloc(64 * 1024);
  for (let sent = 0; sent < fault.bytes && !res.destroyed; sent += chunk.length) {
    if (!res.write(chunk)) {
      await new Promise((resume) => {
        res.once('drain', resume);
        res.once('close', resume);
      });
    }
  }
  res.end();
  return true;
}
