import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadDataset } from './download-dataset.js';
import { startUciServer, type UciServer } from './test-support/uci-server.js';

// House rule: never a secret in a message or log. A mirror URL may carry credentials
// (`http://user:pass@mirror/`) or a presigned query (`?X-Amz-Signature=…`, `?token=…`).
const SECRET = 'hunter2-s3cr3t';
const CLEVELAND = '/processed.cleveland.data';
let server: UciServer;
let cacheDir: string;
const fast = { backoffMs: 1, retries: 1, env: {} };

beforeEach(async () => {
  server = await startUciServer();
  cacheDir = await mkdtemp(join(tmpdir(), 'heart-data-secrets-'));
});
afterEach(async () => {
  await server.close();
  await rm(cacheDir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: Error) => error,
  );
}

describe('downloadDataset keeps a source URL’s secrets out of what it reports', () => {
  it('a 403 from a presigned URL: the message and error.source hide the signature', async () => {
    server.fail(CLEVELAND, { kind: 'status', status: 403 });
    const source = `${server.url}processed.cleveland.data?X-Amz-Signature=${SECRET}&token=${SECRET}`;
    const error = (await failure(downloadDataset({ ...fast, source, cacheDir }))) as Error & {
      source?: string;
    };
    expect(error.message).toContain('403');
    expect(error.message).not.toContain(SECRET);
    expect(String(error.source)).not.toContain(SECRET);
  });

  it('a 503 retried: the retry event and the final message hide the signature', async () => {
    server.fail(CLEVELAND, { kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    const source = `${server.url}processed.cleveland.data?X-Amz-Signature=${SECRET}`;
    const seen: string[] = [];
    const error = await failure(
      downloadDataset({ ...fast, source, cacheDir, onRetry: (event) => seen.push(event.url) }),
    );
    expect(seen).toHaveLength(1);
    expect(seen.join(' ')).not.toContain(SECRET);
    expect(error.message).not.toContain(SECRET);
  });

  it('credentials in the URL: the failure does not repeat the password', async () => {
    const source = server.url.replace('http://', `http://mirror-user:${SECRET}@`);
    const error = await failure(downloadDataset({ ...fast, source, cacheDir }));
    expect(error.message).not.toContain(SECRET);
  });

  it('a success: the file’s url and the cache record beside it hide the signature', async () => {
    const source = `${server.url}processed.cleveland.data?X-Amz-Signature=${SECRET}`;
    const { files } = await downloadDataset({ ...fast, source, cacheDir });
    expect(files[0]!.rows).toBe(303);
    expect(files[0]!.url).not.toContain(SECRET);
    const record = await readFile(join(cacheDir, 'processed.cleveland.data.source.json'), 'utf8');
    expect(record).not.toContain(SECRET);
  });
});

describe('downloadDataset refuses an unsupported source without repeating its secrets', () => {
  it.each([
    `s3://bucket/processed.cleveland.data?X-Amz-Signature=${SECRET}`,
    `ftp://mirror-user:${SECRET}@files.example/uci/`,
  ])('%s', async (source) => {
    const error = await failure(downloadDataset({ ...fast, source, cacheDir }));
    expect(error.message).toContain('only http:, https:, file: URLs');
    expect(error.message).not.toContain(SECRET);
  });
});
