import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UCI_DIR } from '@heart/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadDataset } from './download-dataset.js';
import { DataError } from './errors.js';
import { startUciServer, type UciServer } from './test-support/uci-server.js';

const CLEVELAND = '/processed.cleveland.data';
let server: UciServer;
let cacheDir: string;
const fast = { backoffMs: 10, env: {} };

beforeEach(async () => {
  server = await startUciServer();
  cacheDir = await mkdtemp(join(tmpdir(), 'heart-limits-'));
});
afterEach(async () => {
  await server.close();
  await rm(cacheDir, { recursive: true, force: true });
});

async function refused(promise: Promise<unknown>): Promise<DataError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DataError);
  return error as DataError;
}

describe('hostile downloads', () => {
  it('refuses a declared size over the limit before reading the body, and does not retry', async () => {
    server.fail(CLEVELAND, { kind: 'huge', bytes: 8 * 1024 * 1024, declared: true });
    const error = await refused(
      downloadDataset({ ...fast, source: server.url, cacheDir, maxBytes: 1024 * 1024 }),
    );
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toContain('Content-Length 8388608, more than the 1048576-byte limit');
    expect(server.requests).toEqual([CLEVELAND]);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('stops a streamed body (no Content-Length) at the limit', async () => {
    server.fail(CLEVELAND, { kind: 'huge', bytes: 8 * 1024 * 1024, declared: false });
    const error = await refused(
      downloadDataset({ ...fast, source: server.url, cacheDir, maxBytes: 1024 * 1024 }),
    );
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toContain('more than 1048576 bytes received');
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('counts a gzip body after inflating it: a gzip bomb stops at the limit', async () => {
    server.fail(CLEVELAND, { kind: 'gzip-bomb', bytes: 20 * 1024 * 1024 });
    const error = await refused(
      downloadDataset({ ...fast, source: server.url, cacheDir, maxBytes: 1024 * 1024 }),
    );
    expect(error.code).toBe('TOO_LARGE');
    expect(server.requests).toEqual([CLEVELAND]);
  });

  it('fails a redirect loop at once, without retrying it as transient', async () => {
    server.fail(
      CLEVELAND,
      ...Array.from({ length: 200 }, () => ({ kind: 'redirect-loop' }) as const),
    );
    const retries: string[] = [];
    const error = await refused(
      downloadDataset({
        ...fast,
        source: server.url,
        cacheDir,
        onRetry: (event) => retries.push(event.reason),
      }),
    );
    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toContain('redirects in a loop');
    expect(retries).toEqual([]);
    expect(server.requests.length).toBeLessThanOrEqual(21);
  });
});

// A full disk, for real: a 16 KiB tmpfs mounted in a private user and mount namespace (no root
// needed, nothing visible outside); skipped where the kernel does not allow that.
const canMount =
  spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'true']).status === 0;

describe.skipIf(!canMount)('a full disk', () => {
  it('is an error naming the file and what to do, and leaves no partial file in the cache', async () => {
    const mount = join(cacheDir, 'tiny');
    await mkdir(mount);
    const dist = resolve(import.meta.dirname, '../dist/index.js');
    const script = `
      const { downloadDataset } = await import(${JSON.stringify(dist)});
      try {
        await downloadDataset({ source: ${JSON.stringify(UCI_DIR)}, cacheDir: ${JSON.stringify(mount)} });
        console.log(JSON.stringify({ ok: true }));
      } catch (error) {
        console.log(JSON.stringify({ code: error.code, message: error.message }));
      }
      const { readdirSync } = await import('node:fs');
      console.log(JSON.stringify(readdirSync(${JSON.stringify(mount)})));
    `;
    const child = spawnSync(
      'unshare',
      [
        '--user',
        '--map-root-user',
        '--mount',
        'sh',
        '-c',
        `mount -t tmpfs -o size=16k tmpfs "$1" && exec "$2" --input-type=module -e "$3"`,
        'sh',
        mount,
        process.execPath,
        script,
      ],
      { encoding: 'utf8' },
    );
    const [outcome, left] = child.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(outcome.code, child.stderr).toBe('WRITE_FAILED');
    expect(outcome.message).toMatch(
      /cannot write the data cache file .*processed\.cleveland\.data: no space left on the device \(ENOSPC\); free some space or use another folder/,
    );
    expect(left).toEqual([]);
  });
});

describe('what a killed download left', () => {
  it('is removed by the next download (temporary files older than ten minutes)', async () => {
    const { utimes, writeFile } = await import('node:fs/promises');
    await writeFile(join(cacheDir, '.tmp-0123456789ab'), 'half a file');
    await writeFile(join(cacheDir, '.tmp-ba9876543210'), 'a concurrent download');
    await utimes(join(cacheDir, '.tmp-0123456789ab'), new Date(0), new Date(0));
    await downloadDataset({ ...fast, source: server.url, cacheDir });
    const left = (await readdir(cacheDir)).filter((name) => name.startsWith('.tmp-'));
    expect(left).toEqual(['.tmp-ba9876543210']);
  });
});
