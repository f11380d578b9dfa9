import { join } from 'node:path';
import { ReplayServer, tempDir } from '@heart/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { createTrackingClient } from '../tracking-client.js';
import { syncRuns } from './sync-runs.js';
import type { SyncRunEvent } from './sync-types.js';
import { snapshotReplay, snapshotStore } from './test-support/store-snapshot.js';
import { buildTrainedStore } from './test-support/trained-store.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function setUp() {
  const dir = await tempDir('heart-sync-life-');
  const server = new ReplayServer('artifactproxy', undefined, undefined, { metricStore: 'file' });
  await server.start();
  cleanups.push(dir.cleanup, () => server.stop());
  return { dir: dir.path, server, from: join(dir.path, 'mlruns') };
}

describe('syncRuns and the model registry', () => {
  it('keeps the version numbers, a version deleted in the source staying a gap', async () => {
    const { from, server } = await setUp();
    const { runIds } = await buildTrainedStore(from);
    const client = createTrackingClient({ trackingUri: from, env: {} });
    for (const runId of runIds.slice(0, 3))
      await client.registry.registerModel(`runs:/${runId}/model`, 'gaps');
    await client.registry.deleteModelVersion('gaps', '2');
    await client.registry.setRegisteredModelAlias('gaps', 'best', '3');
    const summary = await syncRuns({ from, to: server.url });
    expect(summary.failures).toEqual([]);
    const gaps = server.registeredModels.get('gaps')!;
    expect([...gaps.versions].map(([n, version]) => [n, version.deleted])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
    expect(gaps.aliases.get('best')).toBe('3');
    const back = join(from, '..', 'back');
    await syncRuns({ from: server.url, to: back });
    expect((await snapshotStore(back)).registry).toEqual((await snapshotStore(from)).registry);
    expect((await syncRuns({ from, to: server.url })).nothingMoved).toBe(true);
  });

  it('adds the versions once to a destination model that has versions of its own', async () => {
    const { from, server } = await setUp();
    await buildTrainedStore(from);
    const remote = createTrackingClient({ trackingUri: server.url, env: {} });
    const experiment = await remote.setExperiment('elsewhere');
    const run = await remote.startRun({ experimentId: experiment.experimentId, runName: 'own' });
    await run.end();
    await remote.registry.registerModel(`runs:/${run.runId}/model`, 'heart-disease');
    await remote.registry.setRegisteredModelAlias('heart-disease', 'champion', '1');
    await remote.close();
    // An alias the destination lacks is set, whatever its name (`constructor` is no alias there).
    const local = createTrackingClient({ trackingUri: from, env: {} });
    await local.registry.setRegisteredModelAlias('heart-disease', 'constructor', '1');
    await local.close();
    const first = await syncRuns({ from, to: server.url });
    const model = server.registeredModels.get('heart-disease')!;
    expect([...model.versions.keys()]).toEqual([1, 2, 3]);
    // The destination's champion stays; the report says where the source's points.
    expect(model.aliases.get('champion')).toBe('1');
    expect(model.aliases.get('constructor')).toBe('2');
    expect(first.registry.versionsCreated).toBe(2);
    expect((await syncRuns({ from, to: server.url })).registry.versionsCreated).toBe(0);
    expect([...model.versions.keys()]).toEqual([1, 2, 3]);
  });
});

describe('syncRuns over a run lifecycle', () => {
  it('deletes a source run only after its copy reads back whole', async () => {
    const { from, server } = await setUp();
    const { runIds } = await buildTrainedStore(from);
    const events: SyncRunEvent[] = [];
    const summary = await syncRuns({
      from,
      to: server.url,
      deleteSource: true,
      onEvent: (event) => event.kind === 'run' && events.push(event),
    });
    expect(summary.sourceDeleted).toBe(4);
    expect(events.every((event) => event.sourceDeleted)).toBe(true);
    const local = createTrackingClient({ trackingUri: from, env: {} });
    for (const runId of runIds)
      expect((await local.getRun(runId)).info.lifecycleStage).toBe('deleted');
    // The next sync has nothing left to send (deleted runs are not synced).
    expect((await syncRuns({ from, to: server.url })).runs.copied).toBe(0);
  });

  it('keeps the source run when the copy does not read back whole', async () => {
    const { from, server } = await setUp();
    await buildTrainedStore(from);
    await syncRuns({ from, to: server.url });
    // A point lost at the destination (what a broken store would do).
    const damaged = [...server.runs.values()][0]!;
    damaged.metrics.pop();
    const summary = await syncRuns({ from, to: server.url, deleteSource: true });
    expect(summary.sourceDeleted).toBe(3);
  });

  it('never copies again a run whose copy was deleted at the destination', async () => {
    const { from, server } = await setUp();
    await buildTrainedStore(from);
    await syncRuns({ from, to: server.url });
    const remote = createTrackingClient({ trackingUri: server.url, env: {} });
    const [victim] = [...server.runs.keys()];
    await remote.deleteRun(victim!);
    await remote.close();
    const again = await syncRuns({ from, to: server.url });
    expect(again.runs.present).toBe(4);
    expect(server.runs.size).toBe(4);
  });

  it('keeps a running run open, and brings it up to date on the next sync', async () => {
    const { from, server } = await setUp();
    const client = createTrackingClient({ trackingUri: from, env: {} });
    const experiment = await client.setExperiment('live');
    const run = await client.startRun({ experimentId: experiment.experimentId, runName: 'live' });
    await run.logMetric('loss', 1, { step: 0, timestamp: 1000 });
    const first = await syncRuns({ from, to: server.url });
    expect(first.runs.copied).toBe(1);
    await run.logMetric('loss', 0.5, { step: 1, timestamp: 2000 });
    await run.logText('late', 'late.txt');
    expect((await syncRuns({ from, to: server.url })).runs.resumed).toBe(1);
    await run.end('FINISHED');
    const last = await syncRuns({ from, to: server.url });
    expect(last.runs.resumed).toBe(1);
    expect(snapshotReplay(server)).toEqual((await snapshotStore(from)).runs);
    const copy = [...server.runs.values()][0]!;
    expect(copy.tags.get('heart.sync.complete')).toBe('true');
    expect(copy.metrics).toHaveLength(2);
    expect((await syncRuns({ from, to: server.url })).nothingMoved).toBe(true);
  });
});
