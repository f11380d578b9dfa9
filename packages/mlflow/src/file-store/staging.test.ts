import { mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createManualClock, tempDir } from '@heart/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTrackingClient } from '../tracking-client.js';
import { withExperimentLock } from './experiment-lock.js';
import { FileStore } from './file-store.js';
import { inspectFileStore } from './inspect-file-store.js';
import { stageFolder, sweepStaging } from './staging.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let root: string;
beforeEach(async () => {
  dir = await tempDir('heart-staging-');
  root = join(dir.path, 'mlruns');
  const client = createTrackingClient({ trackingUri: root });
  await client.withRun({ experimentName: 'heart-disease-mlops' }, async (run) => {
    await run.logParam('C', 1);
  });
});
afterEach(async () => {
  await dir.cleanup();
});

describe('folders appear only complete', () => {
  it("stages where MLflow's readers do not look: a killed writer's half-built run is invisible", async () => {
    // What a kill mid-build leaves: a run folder with tags and no meta.yaml, and one with it.
    const half = await stageFolder(root, 'entry');
    await mkdir(join(half.path, 'tags'), { recursive: true });
    await writeFile(join(half.path, 'tags', 'mlflow.runName'), 'half');
    const whole = await stageFolder(root, 'entry');
    await writeFile(join(whole.path, 'meta.yaml'), 'run_id: x\n');
    const report = await inspectFileStore(root);
    expect(report).toMatchObject({ readable: true, problems: [], experiments: 2, runs: 1 });
    const store = new FileStore(root);
    const experiment = await store.getExperimentByName('heart-disease-mlops');
    const { runs } = await store.searchRuns({
      experimentIds: [experiment!.experimentId],
      viewType: 'ALL',
    });
    expect(runs).toHaveLength(1);
    // The next writer sweeps what is older than an hour, and leaves a fresh one (in use) alone.
    const old = join(root, '.trash', half.path.split('/').at(-2)!);
    await utimes(old, new Date(0), new Date(0));
    await sweepStaging(root, Date.now());
    const left = await readdir(join(root, '.trash'));
    expect(left).toEqual([whole.path.split('/').at(-2)]);
  });

  it('builds runs and experiments aside and leaves no staging folder behind', async () => {
    const client = createTrackingClient({ trackingUri: root });
    const experiment = await client.setExperiment('another');
    await client.withRun({ experimentId: experiment.experimentId }, async (run) => {
      await run.setTag('k', 'v');
    });
    expect(await readdir(join(root, '.trash'))).toEqual([]);
    expect(await inspectFileStore(root)).toMatchObject({ readable: true, problems: [] });
  });

  it('reports a run folder without meta.yaml as the UI error it is, not as harmless', async () => {
    const experiment = (await new FileStore(root).getExperimentByName('heart-disease-mlops'))!;
    await mkdir(join(root, experiment.experimentId, '0123456789abcdef0123456789abcdef', 'tags'), {
      recursive: true,
    });
    const report = await inspectFileStore(root);
    expect(report.problems).toEqual([
      expect.objectContaining({
        severity: 'limited',
        message: expect.stringContaining('experiments/search-datasets'),
      }),
    ]);
  });
});

describe('the experiment lock', () => {
  const lockFile = () => join(root, '.heart-experiments.lock');

  it('takes over at once a lock that is empty or torn (a writer killed while taking it)', async () => {
    for (const content of ['', '12a']) {
      await writeFile(lockFile(), content);
      const clock = createManualClock(Date.now());
      expect(await withExperimentLock(root, async () => 'mine', clock)).toBe('mine');
      expect(clock.sleeps).toEqual([]);
    }
    expect((await readdir(root)).filter((name) => name.includes('lock'))).toEqual([]);
  });

  it("takes over a dead holder's lock at once, and a live holder's after 10 s, within the 30 s wait", async () => {
    await writeFile(lockFile(), '4194303999');
    const dead = createManualClock(Date.now());
    expect(await withExperimentLock(root, async () => 1, dead)).toBe(1);
    expect(dead.sleeps).toEqual([]);
    // Held by a live process (this one) that never lets go: stale after 10 s.
    await writeFile(lockFile(), String(process.pid));
    // The clock starts at the lock's own mtime, so no real time passes between them.
    const written = Math.floor((await stat(lockFile())).mtimeMs);
    const live = createManualClock(written);
    expect(await withExperimentLock(root, async () => 2, live)).toBe(2);
    const waited = live.sleeps.reduce((a, b) => a + b, 0);
    // Stale 10 s after the lock was written (the poll interval rounds it up).
    expect(waited).toBeGreaterThanOrEqual(10_000);
    expect(waited).toBeLessThan(10_100);
  });
});
