import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  copyGoldenTree,
  createManualClock,
  FaultProxy,
  type MetricStore,
  ReplayServer,
  tempDir,
} from '@heart/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { createTrackingClient } from '../tracking-client.js';
import { syncRuns } from './sync-runs.js';
import type { SyncEvent, SyncRunEvent } from './sync-types.js';
import { snapshotReplay, snapshotStore } from './test-support/store-snapshot.js';
import { buildTrainedStore } from './test-support/trained-store.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function workDir(): Promise<string> {
  const dir = await tempDir('heart-sync-');
  cleanups.push(dir.cleanup);
  return dir.path;
}

async function replay(metricStore: MetricStore = 'sql'): Promise<ReplayServer> {
  const server = new ReplayServer('artifactproxy', undefined, undefined, { metricStore });
  await server.start();
  cleanups.push(() => server.stop());
  return server;
}

/** The requests that change something (everything but reads). */
function writes(server: ReplayServer): string[] {
  return server.received
    .filter((request) => request.method !== 'GET' && !request.path.endsWith('/search'))
    .map((request) => `${request.method} ${request.path}`);
}

describe('syncRuns: file store → server → file store', () => {
  it.each(['filestore-handwritten', 'filestore-python-client'] as const)(
    'moves the golden tree %s there and back, equal run for run',
    async (golden) => {
      const dir = await workDir();
      const from = join(dir, 'mlruns');
      await copyGoldenTree(golden, from);
      const server = await replay();
      const there = await syncRuns({ from, to: server.url });
      expect(there.failures).toEqual([]);
      expect(there.problems).toEqual([]);
      const source = await snapshotStore(from);
      expect(Object.keys(source.runs).length).toBeGreaterThan(0);
      // What arrived, read from the server's own state (not through the sync's readers).
      expect(snapshotReplay(server)).toEqual(source.runs);
      const back = join(dir, 'back');
      const home = await syncRuns({ from: server.url, to: back });
      expect(home.failures).toEqual([]);
      expect(await snapshotStore(back)).toEqual(source);
    },
  );

  it('moves a trained store (histories, artifacts, logged models, the registry) there and back', async () => {
    const dir = await workDir();
    const from = join(dir, 'mlruns');
    const { runIds } = await buildTrainedStore(from);
    const server = await replay('file');
    const events: SyncEvent[] = [];
    const there = await syncRuns({ from, to: server.url, onEvent: (event) => events.push(event) });
    expect(there.runs.copied).toBe(4);
    expect(there.registry).toEqual({ models: 1, versionsCreated: 2, aliasesSet: 1, skipped: 0 });
    const source = await snapshotStore(from);
    expect(snapshotReplay(server)).toEqual(source.runs);
    // Each copy carries its source run id from runs/create on.
    const creates = server.received.filter((request) => request.path.endsWith('/runs/create'));
    expect(creates).toHaveLength(4);
    for (const create of creates) {
      const tags = (create.json as { tags: { key: string; value: string }[] }).tags;
      expect(runIds).toContain(tags.find((tag) => tag.key === 'heart.sync.source_run_id')?.value);
    }
    // The history names the copy, the version sources point at the copies' artifacts.
    const model = server.registeredModels.get('heart-disease')!;
    expect([...model.versions.keys()]).toEqual([1, 2]);
    expect(model.aliases.get('champion')).toBe('2');
    for (const version of model.versions.values()) {
      const copy = server.runs.get(version.run_id!)!;
      expect(version.source).toBe(`${copy.info.artifact_uri}/model`);
      expect(copy.tags.get('mlflow.log-model.history')).toContain(`"run_id": "${version.run_id}"`);
    }
    const back = join(dir, 'back');
    await syncRuns({ from: server.url, to: back });
    expect(await snapshotStore(back)).toEqual(source);
  });

  it('arrives the same through a proxy that fails 30% of requests, both ways', async () => {
    const dir = await workDir();
    const from = join(dir, 'mlruns');
    await buildTrainedStore(from);
    const server = await replay('file');
    const clock = createManualClock();
    const timeoutMs = 1000;
    const proxy = new FaultProxy({
      target: server.url,
      rate: 0.3,
      seed: 17,
      slowMs: 20,
      retryAfterSeconds: 1,
      // A held request times out at once for an ordinary call; a write waits for its answer.
      onHold: () => clock.advance(timeoutMs + 1),
    });
    await proxy.start();
    cleanups.push(() => proxy.stop());
    const rest = { clock, timeoutMs, maxRetries: 10, deadlineMs: 1e12, env: {} };
    // One request at a time: the proxy's faults fall on the same requests every time.
    const there = await syncRuns({ from, to: proxy.url, rest, concurrency: 1 });
    expect(there.failures).toEqual([]);
    const back = join(dir, 'back');
    const home = await syncRuns({ from: proxy.url, to: back, rest, concurrency: 1 });
    expect(home.failures).toEqual([]);
    const source = await snapshotStore(from);
    // No twin, no point twice (this server keeps every point it is sent), every artifact whole.
    expect(server.runs.size).toBe(4);
    expect(snapshotReplay(server)).toEqual(source.runs);
    expect(await snapshotStore(back)).toEqual(source);
    expect([...server.registeredModels.get('heart-disease')!.versions.keys()]).toEqual([1, 2]);
    for (const fault of ['reset-before', 'reset-after', '503', '429', 'slow'] as const)
      expect(proxy.count(fault), fault).toBeGreaterThan(0);
  });

  it('moves nothing the second time, and says so', async () => {
    const dir = await workDir();
    const from = join(dir, 'mlruns');
    await buildTrainedStore(from);
    const server = await replay();
    await syncRuns({ from, to: server.url });
    const before = writes(server).length;
    const again = await syncRuns({ from, to: server.url });
    expect(again.nothingMoved).toBe(true);
    expect(again.runs.present).toBe(4);
    expect(again.sent).toEqual({ params: 0, tags: 0, points: 0, files: 0, bytes: 0 });
    expect(writes(server).length).toBe(before);
    // Back home too: a run copied to where it came from is the original.
    const home = await syncRuns({ from: server.url, to: from });
    expect(home.nothingMoved).toBe(true);
  });

  it('says what a dry run would move, and writes nothing', async () => {
    const dir = await workDir();
    const from = join(dir, 'mlruns');
    await buildTrainedStore(from);
    const server = await replay();
    const events: SyncRunEvent[] = [];
    const dry = await syncRuns({
      from,
      to: server.url,
      dryRun: true,
      onEvent: (event) => event.kind === 'run' && events.push(event),
    });
    expect(dry.runs['would-copy']).toBe(4);
    expect(dry.experimentsCreated).toBe(2);
    expect(dry.sent.points).toBe(4 * 72);
    expect(dry.registry).toEqual({ models: 1, versionsCreated: 0, aliasesSet: 0, skipped: 0 });
    expect(events.map((event) => event.outcome)).toEqual(Array(4).fill('would-copy'));
    expect(writes(server)).toEqual([]);
    expect(server.runs.size).toBe(0);
  });

  it('copies file store to file store, keeping run ids and times', async () => {
    const dir = await workDir();
    const from = join(dir, 'mlruns');
    const { runIds } = await buildTrainedStore(from);
    const to = join(dir, 'copy');
    const summary = await syncRuns({ from, to });
    expect(summary.runs.copied).toBe(4);
    const copied = await snapshotStore(to);
    expect(copied).toEqual(await snapshotStore(from));
    for (const runId of runIds) expect(copied.runs[runId]).toBeDefined();
    const experiments = await readdir(to);
    for (const runId of runIds) {
      const found = await Promise.all(
        experiments.map((id) => readFile(join(to, id, runId, 'meta.yaml'), 'utf8').catch(() => '')),
      );
      expect(found.filter(Boolean)).toHaveLength(1);
    }
    expect((await syncRuns({ from, to })).nothingMoved).toBe(true);
  });
});

describe('syncRuns: stopped at any request, then run again', () => {
  it('leaves one copy of each run, each point once, each artifact whole, each version once', async () => {
    const dir = await workDir();
    const from = join(dir, 'mlruns');
    await buildTrainedStore(from);
    const source = await snapshotStore(from);
    // How many requests a whole sync makes, then a sync cut off after each of them.
    const probe = await replay('file');
    await syncRuns({ from, to: probe.url });
    const total = probe.received.length;
    for (let cut = 1; cut < total; cut += 1) {
      const server = await replay('file');
      let calls = 0;
      const fetch: typeof globalThis.fetch = (url, init) =>
        ++calls > cut ? Promise.reject(new TypeError('fetch failed')) : globalThis.fetch(url, init);
      await syncRuns({ from, to: server.url, rest: { fetch, maxRetries: 0, env: {} } }).catch(
        () => undefined,
      );
      const rerun = await syncRuns({ from, to: server.url });
      expect(rerun.failures, `cut after ${cut}`).toEqual([]);
      expect(server.runs.size, `cut after ${cut}`).toBe(4);
      expect(snapshotReplay(server), `cut after ${cut}`).toEqual(source.runs);
      const versions = server.registeredModels.get('heart-disease')!.versions;
      expect([...versions.keys()], `cut after ${cut}`).toEqual([1, 2]);
      await server.stop();
    }
  }, 60_000);
});

describe('syncRuns: what cannot be copied', () => {
  it('reports an unreadable source run with its path and copies the others', async () => {
    const dir = await workDir();
    const from = join(dir, 'mlruns');
    const { runIds } = await buildTrainedStore(from);
    const experiment = (await readdir(from)).find((name) => /^\d{18}$/.test(name))!;
    const broken = (await readdir(join(from, experiment))).find((name) => runIds.includes(name))!;
    await writeFile(join(from, experiment, broken, 'metrics', 'train_loss'), '1 2 3 4\n');
    const bad = join(from, experiment, 'f'.repeat(32));
    await mkdir(bad, { recursive: true });
    await writeFile(join(bad, 'meta.yaml'), 'run_uuid: [unclosed\n');
    const server = await replay();
    const summary = await syncRuns({ from, to: server.url });
    expect(summary.runs.copied).toBe(3);
    expect(summary.failures).toEqual([
      expect.objectContaining({
        sourceRunId: broken,
        message: expect.stringContaining('train_loss'),
      }),
    ]);
    expect(summary.problems.map((problem) => problem.path).sort()).toEqual(
      [join(bad, 'meta.yaml'), join(from, experiment, broken, 'metrics', 'train_loss')].sort(),
    );
  });

  it('gives a clear error for each run the destination refuses, and copies the others', async () => {
    const dir = await workDir();
    const from = join(dir, 'mlruns');
    const client = createTrackingClient({ trackingUri: from, env: {} });
    const experiment = await client.setExperiment('refusals');
    const good = await client.startRun({ experimentId: experiment.experimentId, runName: 'good' });
    await good.end();
    const bad = await client.startRun({ experimentId: experiment.experimentId, runName: 'bad' });
    await bad.end();
    // MLflow refuses keys over 250 characters; a hand-edited store may hold one.
    const key = 'k'.repeat(251);
    await writeFile(join(from, experiment.experimentId, bad.runId, 'params', key), 'v');
    for (const to of [(await replay()).url, join(dir, 'copy')]) {
      const summary = await syncRuns({ from, to });
      expect(summary.runs.copied, to).toBe(1);
      expect(summary.failures, to).toEqual([
        {
          sourceRunId: bad.runId,
          runName: 'bad',
          message: expect.stringMatching(/INVALID_PARAMETER_VALUE.*had length 251.*limit of 250/),
        },
      ]);
    }
  });

  it('refuses an experiment whose artifacts would go to s3:// before copying any run', async () => {
    const dir = await workDir();
    const from = join(dir, 'mlruns');
    await buildTrainedStore(from);
    const server = await replay();
    const client = createTrackingClient({ trackingUri: server.url, env: {} });
    await client.createExperiment('heart-disease-mlops');
    await client.close();
    const made = [...server.experiments.values()].find(
      (item) => item.name === 'heart-disease-mlops',
    )!;
    made.artifact_location = 's3://heart-artifacts/1';
    const summary = await syncRuns({ from, to: server.url });
    expect(summary.runs.failed).toBe(2);
    expect(summary.runs.copied).toBe(2);
    expect(summary.failures[0]!.message).toContain('s3://heart-artifacts/1');
    expect(summary.failures[0]!.message).toContain('--serve-artifacts');
    expect([...server.runs.values()].map((run) => run.info.experiment_id)).not.toContain(
      made.experiment_id,
    );
  });
});
