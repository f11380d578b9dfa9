import { type ChildProcess, fork } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@heart/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore } from './file-store/file-store.js';
import { inspectFileStore } from './file-store/inspect-file-store.js';

const CHILD = join(import.meta.dirname, 'test-support', 'writer-child.ts');

function startWriter(root: string, mode: 'loop' | 'once', points = 200): ChildProcess {
  return fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      HEART_TEST_MLRUNS: root,
      HEART_TEST_MODE: mode,
      HEART_TEST_POINTS: String(points),
    },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
}

function exited(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
}

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.cleanup();
});

describe('the file store across processes', () => {
  it('stays readable by MLflow when a writer is killed (SIGKILL) at any moment', async () => {
    const root = join(dir.path, 'mlruns');
    // Kill points spread from "before the first experiment" to "mid-way through later runs".
    for (const delay of [5, 40, 90, 150, 220, 300, 420, 650]) {
      const child = startWriter(root, 'loop');
      const done = exited(child);
      await new Promise<void>((resolve) => child.once('message', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill('SIGKILL');
      expect((await done).signal).toBe('SIGKILL');
      const report = await inspectFileStore(root).catch(() => undefined);
      if (!report) continue; // killed before mlruns/ existed
      expect(
        report.problems.filter((problem) => problem.severity !== 'skipped'),
        `after ${delay} ms`,
      ).toEqual([]);
      const store = new FileStore(root);
      const experiment = await store.getExperimentByName('heart-disease-mlops');
      if (experiment)
        await store.searchRuns({ experimentIds: [experiment.experimentId], viewType: 'ALL' });
    }
    // The next writer still works in the store the killed ones left behind.
    const last = await exited(startWriter(root, 'once', 5));
    expect(last.code, last.stderr).toBe(0);
    expect((await inspectFileStore(root)).readable).toBe(true);
  }, 60_000);

  it('lets two processes log different runs into one mlruns at once', async () => {
    const root = join(dir.path, 'mlruns');
    const results = await Promise.all([
      exited(startWriter(root, 'once')),
      exited(startWriter(root, 'once')),
    ]);
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const store = new FileStore(root);
    const experiment = await store.getExperimentByName('heart-disease-mlops');
    const experiments = (await readdir(root)).filter((name) => /^\d{18}$/.test(name));
    expect(experiments).toEqual([experiment!.experimentId]);
    const { runs } = await store.searchRuns({ experimentIds: [experiment!.experimentId] });
    expect(runs).toHaveLength(2);
    for (const run of runs) {
      expect(run.info.status).toBe('FINISHED');
      const lines = (
        await readFile(
          join(root, experiment!.experimentId, run.info.runId, 'metrics', 'loss'),
          'utf8',
        )
      ).split('\n');
      expect(lines.pop()).toBe('');
      expect(lines).toHaveLength(200);
      expect(lines.every((line) => /^\d+ [\d.e-]+ \d+$/.test(line))).toBe(true);
    }
    expect((await inspectFileStore(root)).readable).toBe(true);
  }, 60_000);

  it('keeps every point when two stores log the same new metrics at once (nothing replaced)', async () => {
    // Two stores on one root stand for two processes: neither's lock covers the other's writes.
    const root = join(dir.path, 'mlruns');
    const one = new FileStore(root);
    const two = new FileStore(root);
    const experimentId = await one.createExperiment('race');
    const { info } = await one.createRun({
      experimentId,
      userId: 'test',
      runName: 'race',
      startTime: 1,
      tags: [],
    });
    const keys = Array.from({ length: 20 }, (_, k) => (k % 2 ? `m${k}` : `nested/m${k}`));
    const batch = (store: FileStore, value: number) =>
      store.logBatch(info.runId, {
        metrics: keys.map((key) => ({ key, value, timestamp: 1, step: value })),
      });
    await Promise.all([batch(one, 1), batch(two, 2), batch(one, 3), batch(two, 4)]);
    for (const key of keys) {
      const steps = (await one.getMetricHistory(info.runId, key)).map((point) => point.step);
      expect(steps.sort(), key).toEqual([1, 2, 3, 4]);
    }
    const left = await readdir(join(root, experimentId, info.runId));
    expect(left.filter((name) => name.startsWith('.tmp-'))).toEqual([]);
  });
});
