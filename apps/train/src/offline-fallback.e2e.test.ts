import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTrackingClient } from '@heart/mlflow';
import { childOutput, FaultProxy, ReplayServer, tempDir, UCI_DIR } from '@heart/test-support';
import { afterEach, describe, expect, it } from 'vitest';

const APP = resolve(import.meta.dirname, '..');
const MAIN = join(APP, 'dist', 'main.js');
/** The `heart-mlflow` command of @heart/mlflow (its package.json `bin`), built beside its index. */
const SYNC_CLI = fileURLToPath(new URL('./cli.js', import.meta.resolve('@heart/mlflow')));

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function run(command: string[], env: Record<string, string>, cwd: string) {
  const child = spawn(process.execPath, command, {
    env: { PATH: process.env.PATH ?? '', MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0', ...env },
    cwd,
  });
  return childOutput(child);
}

async function train(trackingUri: string, extra: string[], env: Record<string, string> = {}) {
  const work = await tempDir('heart-train-offline-');
  cleanups.push(work.cleanup);
  const args = [MAIN, '--data-url', UCI_DIR, '--data-dir', join(work.path, 'raw')];
  args.push('--tracking-uri', trackingUri, '--output', join(work.path, 'models'), ...extra);
  const result = await run(args, { HEART_ROOT: work.path, ...env }, work.path);
  return { ...result, root: work.path };
}

/** A port nothing listens on. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return `http://127.0.0.1:${port}`;
}

async function offlineRuns(root: string) {
  const client = createTrackingClient({ trackingUri: join(root, 'mlruns-offline'), env: {} });
  const experiment = await client.getExperimentByName('heart-disease-mlops');
  const { runs } = await client.searchRuns({ experimentIds: [experiment!.experimentId] });
  const version = await client.registry.getModelVersionByAlias('heart-disease', 'champion');
  return { runs, version };
}

describe('--offline-fallback', () => {
  it('trains into mlruns-offline when the server cannot be reached at the start, and the printed command publishes it', async () => {
    const server = await closedPort();
    const trained = await train(server, ['--offline-fallback']);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stderr).toContain(`MLflow at ${server} cannot be reached`);
    expect(trained.stderr).toContain(
      `training into ${join(trained.root, 'mlruns-offline')} instead`,
    );
    const command = /heart-mlflow sync (\S+) (\S+)/.exec(trained.stderr);
    expect(command?.slice(1)).toEqual(['./mlruns-offline', server]);
    expect(trained.stdout).toContain(`at file://${join(trained.root, 'mlruns-offline')}`);
    const { runs, version } = await offlineRuns(trained.root);
    expect(runs.map((item) => item.info.runName).sort()).toEqual([
      'logistic-regression',
      'random-forest',
    ]);
    expect(runs.every((item) => item.info.status === 'FINISHED')).toBe(true);
    expect(version.version).toBe('1');
    // The command as printed, against a server that is up now.
    const mlflow = new ReplayServer('artifactproxy');
    const url = await mlflow.start();
    cleanups.push(() => mlflow.stop());
    const published = await run([SYNC_CLI, 'sync', command![1]!, url], {}, trained.root);
    expect(published.code, published.stdout + published.stderr).toBe(0);
    expect(published.stdout).toContain('runs: 2 copied');
    expect([...mlflow.runs.values()].map((item) => item.info.run_name).sort()).toEqual([
      'logistic-regression',
      'random-forest',
    ]);
    expect(mlflow.registeredModels.get('heart-disease')?.aliases.get('champion')).toBe('1');
  });

  it('finishes offline when the server goes away for good mid-run (HEART_MLFLOW_OFFLINE=fallback)', async () => {
    const mlflow = new ReplayServer('artifactproxy');
    await mlflow.start();
    let requests = 0;
    // The experiment and the first run's creation get through; then the server is gone.
    const proxy = new FaultProxy({
      target: mlflow.url,
      rate: 0,
      seed: 1,
      slowMs: 0,
      retryAfterSeconds: 0,
      plan: () => (++requests > 4 ? 'reset-before' : 'pass'),
    });
    await proxy.start();
    cleanups.push(
      () => proxy.stop(),
      () => mlflow.stop(),
    );
    const trained = await train(proxy.url, [], { HEART_MLFLOW_OFFLINE: 'fallback' });
    expect(trained.code, trained.stderr).toBe(0);
    const left = [...mlflow.runs.keys()];
    expect(left).toHaveLength(1);
    expect(trained.stderr).toContain(`its open runs ${left[0]} stay unfinished there`);
    expect(trained.stderr).toContain('--offline-fallback: training into');
    expect(trained.stderr).toMatch(
      /heart-mlflow sync \.\/mlruns-offline http:\/\/127\.0\.0\.1:\d+/,
    );
    const { runs } = await offlineRuns(trained.root);
    expect(runs).toHaveLength(2);
  });

  it('does not train again offline once the runs are finished at the server (the registry went away)', async () => {
    const mlflow = new ReplayServer('artifactproxy');
    await mlflow.start();
    const proxy = new FaultProxy({
      target: mlflow.url,
      rate: 0,
      seed: 1,
      slowMs: 0,
      retryAfterSeconds: 0,
      plan: (_method, path) => (path.includes('/registered-models/') ? 'reset-before' : 'pass'),
    });
    await proxy.start();
    cleanups.push(
      () => proxy.stop(),
      () => mlflow.stop(),
    );
    const trained = await train(proxy.url, ['--offline-fallback']);
    expect(trained.code).toBe(1);
    expect(trained.stderr).toMatch(/the runs \S+, \S+ finished in MLflow; nothing was registered/);
    expect(trained.stderr).not.toContain('mlruns-offline');
    expect([...mlflow.runs.values()].map((run) => run.info.status)).toEqual([
      'FINISHED',
      'FINISHED',
    ]);
  });

  it('is off unless asked for: the server out of reach fails the training as before', async () => {
    const trained = await train(await closedPort(), []);
    expect(trained.code).toBe(1);
    expect(trained.stderr).toContain('heart-train: failed [NETWORK_ERROR]');
    expect(trained.stderr).not.toContain('mlruns-offline');
  });
});
