import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { FaultProxy, ReplayServer, tempDir, UCI_DIR } from '@heart/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const APP = resolve(import.meta.dirname, '..');
const MAIN = join(APP, 'dist', 'main.js');
let uci: Server;
let dataUrl: string;
let work: { path: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  work = await tempDir('heart-train-interrupt-');
  uci = createServer(async (req, res) => {
    const body = await readFile(join(UCI_DIR, (req.url ?? '').replace(/^\/+/, ''))).catch(
      () => undefined,
    );
    if (!body) res.writeHead(404).end();
    else res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((done) => uci.listen(0, '127.0.0.1', done));
  dataUrl = `http://127.0.0.1:${(uci.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  uci.closeAllConnections();
  await new Promise((done) => uci.close(done));
  await work.cleanup();
});

describe('Ctrl-C and SIGTERM during training', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`end the open run FAILED with an end time and exit ${code} (${signal}), even mid-request`, async () => {
      const mlflow = new ReplayServer('artifactproxy');
      await mlflow.start();
      let held: () => void = () => undefined;
      const arrived = new Promise<void>((done) => {
        held = done;
      });
      // The run's first params reach the proxy and are held there: training waits on the server.
      let batches = 0;
      const proxy = new FaultProxy({
        target: mlflow.url,
        rate: 0,
        seed: 1,
        slowMs: 600_000,
        retryAfterSeconds: 1,
        onHold: () => held(),
        plan: (_method, path) =>
          path.endsWith('/runs/log-batch') && batches++ === 0 ? 'slow' : 'pass',
      });
      await proxy.start();
      try {
        const child = spawn(
          process.execPath,
          [
            MAIN,
            '--data-url',
            dataUrl,
            '--data-dir',
            join(work.path, `raw-${signal}`),
            '--tracking-uri',
            proxy.url,
            '--output',
            join(work.path, `models-${signal}`),
          ],
          { env: { PATH: process.env.PATH, HEART_ROOT: work.path }, cwd: APP },
        );
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const exited = new Promise<number | null>((done) => child.on('exit', done));
        await arrived;
        child.kill(signal);
        expect(await exited, stderr).toBe(code);
        const runs = [...mlflow.runs.values()];
        expect(runs.map((run) => run.info.status)).toEqual(['FAILED']);
        expect(Number(runs[0]!.info.end_time)).toBeGreaterThan(0);
        expect(stderr).toContain(
          `heart-train: interrupted (${signal}); nothing in models/ was changed; the open MLflow run ${runs[0]!.info.run_id} is marked FAILED.`,
        );
      } finally {
        await proxy.stop();
        await mlflow.stop();
      }
    });
  }
});
