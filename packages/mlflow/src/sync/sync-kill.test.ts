import { type ChildProcess, spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FaultProxy, ReplayServer, tempDir } from '@heart/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectFileStore } from '../file-store/inspect-file-store.js';
import {
  type StoreSnapshot,
  snapshotReplay,
  snapshotStore,
} from './test-support/store-snapshot.js';
import { buildTrainedStore, seeded } from './test-support/trained-store.js';

const PACKAGE = resolve(import.meta.dirname, '../..');
const CLI = join(PACKAGE, 'dist', 'cli.js');

/** The built CLI, and no older than the sources it is built from. */
async function assertBuilt(): Promise<void> {
  const built = await stat(CLI).catch(() => undefined);
  if (!built) throw new Error(`${CLI} is missing: pnpm --filter @heart/mlflow build`);
  const walk = async (dir: string): Promise<number> => {
    let newest = 0;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) newest = Math.max(newest, await walk(path));
      else if (
        entry.name.endsWith('.ts') &&
        !entry.name.endsWith('.test.ts') &&
        !path.includes('test-support')
      )
        newest = Math.max(newest, (await stat(path)).mtimeMs);
    }
    return newest;
  };
  if ((await walk(join(PACKAGE, 'src'))) > built.mtimeMs)
    throw new Error(`${CLI} is older than src/: pnpm --filter @heart/mlflow build`);
}

/** `node dist/cli.js sync <from> <to>` as its own process; resolves with how it ended. */
function sync(from: string, to: string, onStart?: (child: ChildProcess) => void) {
  const child = spawn(process.execPath, [CLI, 'sync', from, to], {
    env: { PATH: process.env.PATH, MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onStart?.(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>(
    (done) => child.on('close', (code, signal) => done({ code, signal, output })),
  );
}

/**
 * A replay server (one that keeps every metric point it is sent, as a file-store-backed MLflow
 * does) behind a proxy that kills the armed sync when the chosen request arrives: the request
 * still reaches the server when it arrived whole, after its sender is dead.
 */
async function killingServer() {
  const server = new ReplayServer('artifactproxy', undefined, undefined, { metricStore: 'file' });
  await server.start();
  let victim: ChildProcess | undefined;
  let requests = 0;
  let killAt = Number.POSITIVE_INFINITY;
  const proxy = new FaultProxy({
    target: server.url,
    rate: 0,
    seed: 1,
    slowMs: 0,
    retryAfterSeconds: 0,
    plan: () => {
      if (++requests === killAt) victim?.kill('SIGKILL');
      return 'pass';
    },
  });
  await proxy.start();
  return {
    server,
    url: proxy.url,
    requests: () => requests,
    /** Kills the next sync started with `arm` at its `n`-th request through the proxy. */
    killAfter: (n: number) => {
      killAt = requests + n;
    },
    arm: (child: ChildProcess) => {
      victim = child;
    },
    disarm: () => {
      victim = undefined;
      killAt = Number.POSITIVE_INFINITY;
    },
    stop: async () => {
      await proxy.stop();
      await server.stop();
    },
  };
}

let dir: { path: string; cleanup: () => Promise<void> };
let from: string;
let source: StoreSnapshot;
let total: number;
const points = seeded(20_260_501);

beforeAll(async () => {
  await assertBuilt();
  dir = await tempDir('heart-sync-kill-');
  from = join(dir.path, 'mlruns');
  await buildTrainedStore(from);
  source = await snapshotStore(from);
  const probe = await killingServer();
  const whole = await sync(from, probe.url);
  expect(whole.code, whole.output).toBe(0);
  total = probe.requests();
  await probe.stop();
  // Builds a store and runs a whole sync as its own process: heavy work, past the 10 s default.
}, 90_000);
afterAll(async () => {
  await dir?.cleanup();
});

describe('heart-mlflow sync killed with SIGKILL, then run again', () => {
  it('file store → server: one copy of each run, each point once, each artifact whole, each version once (14 seeded kill points)', async () => {
    let resumed = 0;
    for (let trial = 0; trial < 14; trial++) {
      const at = 1 + Math.floor(points() * total);
      const where = `killed at request ${at} of ${total}`;
      const end = await killingServer();
      try {
        end.killAfter(at);
        const killed = await sync(from, end.url, end.arm);
        expect(killed.signal, `${where}\n${killed.output}`).toBe('SIGKILL');
        end.disarm();
        const rerun = await sync(from, end.url);
        expect(rerun.code, `${where}\n${rerun.output}`).toBe(0);
        if (/^resumed /m.test(rerun.output)) resumed++;
        const { server } = end;
        // One copy of each run (not even a deleted twin), every point once, every artifact's sha256.
        expect(server.runs.size, where).toBe(Object.keys(source.runs).length);
        expect(snapshotReplay(server), where).toEqual(source.runs);
        const versions = server.registeredModels.get('heart-disease')!.versions;
        expect(
          [...versions].map(([n, v]) => [n, v.deleted]),
          where,
        ).toEqual([
          [1, false],
          [2, false],
        ]);
        expect(server.registeredModels.get('heart-disease')!.aliases.get('champion')).toBe('2');
        const third = await sync(from, end.url);
        expect(third.output, where).toMatch(/^nothing to move: all 4 runs/m);
      } finally {
        await end.stop();
      }
    }
    // Some kills fell inside a run's copy, and the rerun finished it rather than copy it again.
    expect(resumed).toBeGreaterThan(0);
  }, 90_000);

  it('server → file store: each run whole or absent after the kill, all there after the rerun (6 seeded kill points)', async () => {
    const origin = await killingServer();
    try {
      expect((await sync(from, origin.server.url)).code).toBe(0);
      const before = origin.requests();
      expect((await sync(origin.url, join(dir.path, 'probe'))).code).toBe(0);
      const reads = origin.requests() - before;
      for (let trial = 0; trial < 6; trial++) {
        const target = join(dir.path, `back-${trial}`);
        const at = 1 + Math.floor(points() * reads);
        origin.killAfter(at);
        const killed = await sync(origin.url, target, origin.arm);
        origin.disarm();
        expect(killed.signal, `killed at read ${at} of ${reads}\n${killed.output}`).toBe('SIGKILL');
        // Whatever the kill left, MLflow can read it all (staging folders sit in .trash).
        const report = await inspectFileStore(target);
        expect(report.problems, `killed at read ${at}`).toEqual([]);
        const rerun = await sync(origin.url, target);
        expect(rerun.code, rerun.output).toBe(0);
        expect(await snapshotStore(target), `killed at read ${at}`).toEqual(source);
      }
    } finally {
      await origin.stop();
    }
  }, 90_000);
});
