import { readdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { closeServer, listenOnLoopback, tempDir } from '@heart/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTrackingClient } from '../tracking-client.js';

const RUN = '0123456789abcdef0123456789abcdef';
const ROOT = `1/${RUN}/artifacts`;

/** A tracking server whose artifact proxy serves docs/a.txt whole and drops docs/b.txt mid-body. */
const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://x');
  const json = (body: unknown) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(body));
  };
  if (url.pathname === '/api/2.0/mlflow/runs/get') {
    return json({
      run: {
        info: {
          run_id: RUN,
          run_uuid: RUN,
          experiment_id: '1',
          run_name: 'r',
          user_id: 'u',
          status: 'FINISHED',
          start_time: 1,
          end_time: 2,
          artifact_uri: `mlflow-artifacts:/${ROOT}`,
          lifecycle_stage: 'active',
        },
        data: {},
      },
    });
  }
  if (url.pathname === '/api/2.0/mlflow-artifacts/artifacts') {
    const path = url.searchParams.get('path');
    if (path === ROOT) return json({ files: [{ path: 'docs', is_dir: true }] });
    return json({
      files: [
        { path: 'a.txt', is_dir: false, file_size: 5 },
        { path: 'b.txt', is_dir: false, file_size: 1000 },
      ],
    });
  }
  if (url.pathname.endsWith('/docs/a.txt')) return response.end('hello');
  if (url.pathname.endsWith('/docs/b.txt')) {
    response.writeHead(200, { 'content-length': '1000' });
    response.write('x'.repeat(100));
    setTimeout(() => response.socket?.destroy(), 20);
    return;
  }
  response.writeHead(404).end('{}');
});

let uri: string;
let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  uri = await listenOnLoopback(server);
  dir = await tempDir();
});
afterEach(async () => {
  await closeServer(server);
  await dir.cleanup();
});

describe('downloadArtifacts of a folder whose download is cut mid-way', () => {
  it('fails and leaves no part of the folder in the destination', async () => {
    const client = createTrackingClient({
      trackingUri: uri,
      env: { MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0' },
    });
    const out = join(dir.path, 'out');
    await expect(client.downloadArtifacts(RUN, 'docs', out)).rejects.toThrow();
    await client.close();
    // Not docs/a.txt without docs/b.txt: a half-downloaded folder looks like a complete one.
    expect(await readdir(out).catch(() => [])).toEqual([]);
  });
});
