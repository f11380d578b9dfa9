import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createManualClock, startForwardProxy, UCI_DIR } from '@heart/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadDataset } from './download-dataset.js';
import { DataError } from './errors.js';
import { SITE_FILES } from './sites.js';
import { startUciServer, type UciServer } from './test-support/uci-server.js';

const CLEVELAND = '/processed.cleveland.data';
let server: UciServer;
let cacheDir: string;
const fast = { backoffMs: 10, env: {} };

beforeEach(async () => {
  server = await startUciServer();
  cacheDir = await mkdtemp(join(tmpdir(), 'heart-data-'));
});
afterEach(async () => {
  await server.close();
  await rm(cacheDir, { recursive: true, force: true });
});

async function expectDataError(
  promise: Promise<unknown>,
  code: DataError['code'],
): Promise<DataError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DataError);
  expect((error as DataError).code).toBe(code);
  return error as DataError;
}

describe('downloadDataset over HTTP', () => {
  it('downloads Cleveland, keeps the original bytes and writes the header CSV UCI serves', async () => {
    const result = await downloadDataset({ ...fast, source: server.url, cacheDir });
    const [file] = result.files;
    expect(file).toMatchObject({ site: 'cleveland', rows: 303, bytes: 18461, fromCache: false });
    expect(file!.sha256).toBe(SITE_FILES.cleveland.sha256);
    expect(file!.url).toBe(`${server.url}processed.cleveland.data`);
    const original = await readFile(file!.path);
    expect(original.equals(await readFile(join(UCI_DIR, 'processed.cleveland.data')))).toBe(true);
    const csv = await readFile(file!.csvPath, 'utf8');
    expect(csv).toBe(await readFile(join(UCI_DIR, 'heart_disease_raw.csv'), 'utf8'));
    expect(file!.csvPath.endsWith('heart_disease_raw.csv')).toBe(true);
    expect(server.requests).toEqual([CLEVELAND]);
  });

  it('reuses a cached file without any request', async () => {
    await downloadDataset({ ...fast, source: server.url, cacheDir });
    await server.close();
    const again = await downloadDataset({ ...fast, source: server.url, cacheDir, retries: 0 });
    expect(again.files[0]).toMatchObject({ fromCache: true, rows: 303 });
    expect(server.requests).toEqual([CLEVELAND]);
  });

  it('fetches again when the cached file was corrupted, and with force', async () => {
    await downloadDataset({ ...fast, source: server.url, cacheDir });
    await writeFile(join(cacheDir, 'processed.cleveland.data'), 'garbage');
    const repaired = await downloadDataset({ ...fast, source: server.url, cacheDir });
    expect(repaired.files[0]!.fromCache).toBe(false);
    await downloadDataset({ ...fast, source: server.url, cacheDir, force: true });
    expect(server.requests).toEqual([CLEVELAND, CLEVELAND, CLEVELAND]);
  });

  it('retries a 500 and then succeeds', async () => {
    server.fail(CLEVELAND, { kind: 'status', status: 500 });
    const retries: string[] = [];
    const result = await downloadDataset({
      ...fast,
      source: server.url,
      cacheDir,
      onRetry: (e) => retries.push(e.reason),
    });
    expect(result.files[0]!.rows).toBe(303);
    expect(server.requests).toEqual([CLEVELAND, CLEVELAND]);
    expect(retries).toEqual(['HTTP 500 Internal Server Error']);
  });

  it('waits as long as Retry-After says after a 429', async () => {
    server.fail(CLEVELAND, { kind: 'status', status: 429, headers: { 'retry-after': '1' } });
    const waits: number[] = [];
    const clock = createManualClock();
    await downloadDataset({
      ...fast,
      source: server.url,
      cacheDir,
      clock,
      onRetry: (e) => waits.push(e.waitMs),
    });
    expect(waits).toEqual([1000]);
    expect(clock.sleeps).toEqual([1000]);
    expect(server.requests).toHaveLength(2);
  });

  it('gives up at once when Retry-After would pass the total time limit', async () => {
    server.fail(CLEVELAND, { kind: 'status', status: 503, headers: { 'retry-after': '60' } });
    const error = await expectDataError(
      downloadDataset({ ...fast, source: server.url, cacheDir, maxTotalMs: 2000 }),
      'DOWNLOAD_FAILED',
    );
    expect(error.message).toContain('HTTP 503');
    expect(error.message).toContain('2000 ms limit');
    expect(server.requests).toHaveLength(1);
  });

  it('treats a truncated body as transient, and never caches it', async () => {
    server.fail(CLEVELAND, { kind: 'truncate', bytes: 5000 });
    const result = await downloadDataset({ ...fast, source: server.url, cacheDir });
    expect(result.files[0]!.sha256).toBe(SITE_FILES.cleveland.sha256);
    expect(server.requests).toHaveLength(2);
  });

  it('fails with the URL and the last cause when every attempt is truncated, leaving no file', async () => {
    const truncate = { kind: 'truncate', bytes: 5000 } as const;
    server.fail(CLEVELAND, truncate, truncate, truncate);
    const error = await expectDataError(
      downloadDataset({ ...fast, source: server.url, cacheDir, retries: 2 }),
      'DOWNLOAD_FAILED',
    );
    expect(error.message).toContain(`${server.url}processed.cleveland.data`);
    expect(error.message).toContain('after 3 attempts');
    expect(error.message).toMatch(/truncated|terminated|closed|ECONNRESET|UND_ERR/);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('refuses a file whose checksum differs and writes nothing', async () => {
    const original = await readFile(join(UCI_DIR, 'processed.cleveland.data'), 'utf8');
    const tampered = original.replace('63.0,1.0,1.0,145.0', '64.0,1.0,1.0,145.0');
    server.fail(CLEVELAND, { kind: 'replace', body: tampered });
    const error = await expectDataError(
      downloadDataset({ ...fast, source: server.url, cacheDir }),
      'CHECKSUM_MISMATCH',
    );
    expect(error.message).toContain(SITE_FILES.cleveland.sha256);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('accepts a deliberately different file when checksum verification is off', async () => {
    const original = await readFile(join(UCI_DIR, 'processed.cleveland.data'), 'utf8');
    server.fail(CLEVELAND, { kind: 'replace', body: original.split('\n').slice(0, 10).join('\n') });
    const result = await downloadDataset({
      ...fast,
      source: server.url,
      cacheDir,
      verifyChecksum: false,
    });
    expect(result.files[0]!.rows).toBe(10);
    // The cache is tied to the source it came from: the same URL reuses it.
    const again = await downloadDataset({
      ...fast,
      source: server.url,
      cacheDir,
      verifyChecksum: false,
    });
    expect(again.files[0]).toMatchObject({ fromCache: true, rows: 10 });
  });

  it('times out a hanging attempt, retries, and reports the timeout when all attempts hang', async () => {
    // The attempt's timeout fires on the manual clock once the hanging request is in.
    const clock = createManualClock();
    const hang = { kind: 'hang', onArrive: () => clock.advance(300) } as const;
    server.fail(CLEVELAND, hang);
    const ok = await downloadDataset({
      ...fast,
      source: server.url,
      cacheDir,
      timeoutMs: 300,
      clock,
    });
    expect(ok.files[0]!.rows).toBe(303);
    expect(server.requests).toEqual([CLEVELAND, CLEVELAND]);
    server.fail(CLEVELAND, hang, hang);
    const error = await expectDataError(
      downloadDataset({
        ...fast,
        source: server.url,
        cacheDir,
        timeoutMs: 300,
        retries: 1,
        force: true,
        clock,
      }),
      'DOWNLOAD_FAILED',
    );
    expect(error.message).toContain('timed out after 300 ms');
    expect(server.requests).toHaveLength(4);
  });

  it('fails at once on a 404, naming the URL', async () => {
    const error = await expectDataError(
      downloadDataset({ ...fast, source: `${server.url}missing/`, cacheDir }),
      'HTTP_ERROR',
    );
    expect(error.message).toBe(
      `GET ${server.url}missing/processed.cleveland.data answered HTTP 404 Not Found`,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('retries a connection reset', async () => {
    server.fail(CLEVELAND, { kind: 'reset' });
    const result = await downloadDataset({ ...fast, source: server.url, cacheDir });
    expect(result.files[0]!.rows).toBe(303);
    expect(server.requests).toHaveLength(2);
  });

  it('reports a refused connection at once, without retrying', async () => {
    await server.close();
    const retries: string[] = [];
    const error = await expectDataError(
      downloadDataset({
        ...fast,
        source: server.url,
        cacheDir,
        onRetry: (event) => retries.push(event.reason),
      }),
      'DOWNLOAD_FAILED',
    );
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toContain('nothing accepts connections there; not retried');
    expect(retries).toEqual([]);
  });

  it('reports a host name that does not resolve at once, without retrying', async () => {
    const retries: string[] = [];
    const error = await expectDataError(
      downloadDataset({
        ...fast,
        // RFC 6761: .invalid never resolves.
        source: 'http://uci-mirror.heart-test.invalid/',
        cacheDir,
        onRetry: (event) => retries.push(event.reason),
      }),
      'DOWNLOAD_FAILED',
    );
    expect(error.message).toMatch(/E(NOTFOUND|AI_AGAIN)/);
    expect(error.message).toContain('the host name does not resolve');
    expect(retries).toEqual([]);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('downloads all four sites: 920 rows', async () => {
    const result = await downloadDataset({
      ...fast,
      source: server.url,
      cacheDir,
      sites: ['cleveland', 'hungarian', 'switzerland', 'va'],
    });
    expect(result.files.map((file) => [file.site, file.rows])).toEqual([
      ['cleveland', 303],
      ['hungarian', 294],
      ['switzerland', 123],
      ['va', 200],
    ]);
    expect((await readdir(cacheDir)).sort()).toContain('heart_disease_va_raw.csv');
  });

  it('goes through HTTP_PROXY, and around it for hosts in NO_PROXY', async () => {
    const proxy = await startForwardProxy();
    try {
      await downloadDataset({ source: server.url, cacheDir, env: { HTTP_PROXY: proxy.url } });
      expect(proxy.forwarded).toEqual([`CONNECT ${new URL(server.url).host}`]);
      await downloadDataset({
        source: server.url,
        cacheDir,
        force: true,
        env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' },
      });
      expect(proxy.forwarded).toHaveLength(1);
      expect(server.requests).toHaveLength(2);
    } finally {
      await proxy.close();
    }
  });
});

describe('downloadDataset from files', () => {
  it('copies from a plain folder path and from a file: URL', async () => {
    const fromPath = await downloadDataset({ source: UCI_DIR, cacheDir });
    expect(fromPath.files[0]).toMatchObject({ rows: 303, fromCache: false });
    const other = await mkdtemp(join(tmpdir(), 'heart-data-'));
    try {
      const file = pathToFileURL(join(UCI_DIR, 'processed.va.data')).href;
      const fromUrl = await downloadDataset({ source: file, cacheDir: other, sites: ['va'] });
      expect(fromUrl.files[0]).toMatchObject({ site: 'va', rows: 200 });
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('rejects bad options with a clear error', async () => {
    await expectDataError(
      downloadDataset({ source: '/nonexistent/dir', cacheDir }),
      'FILE_NOT_FOUND',
    );
    await expectDataError(
      downloadDataset({ source: 'ftp://example.org/x', cacheDir }),
      'INVALID_OPTION',
    );
    await expectDataError(downloadDataset({ sites: ['mars' as 'va'], cacheDir }), 'INVALID_OPTION');
    await expectDataError(downloadDataset({ sites: [], cacheDir }), 'INVALID_OPTION');
    await expectDataError(
      downloadDataset({ source: server.url, cacheDir, timeoutMs: -1 }),
      'INVALID_OPTION',
    );
    const single = join(UCI_DIR, 'processed.va.data');
    const error = await expectDataError(
      downloadDataset({ source: single, cacheDir }),
      'INVALID_OPTION',
    );
    expect(error.message).toContain('give the folder instead');
  });

  it('refuses a source whose rows are invalid, caching nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'heart-src-'));
    try {
      await writeFile(
        join(dir, 'processed.cleveland.data'),
        '63,1,9,145,233,1,2,150,0,2.3,3,0,6,0\n',
      );
      const error = await expectDataError(
        downloadDataset({ source: dir, cacheDir, verifyChecksum: false }),
        'INVALID_DATA',
      );
      expect(error.issues[0]).toMatchObject({ line: 1, column: 'cp', value: '9' });
      expect(await readdir(cacheDir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
