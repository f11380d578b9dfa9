/**
 * `heart-mlflow sync` from a file store to a tracking server on loopback: 1,000 runs of 20 params
 * and 100 metric points each (two keys of 50 steps) into the replay server (flow mode, the
 * MLflow 2.17.2 stand-in of @heart/test-support), run as the built CLI in its own process — the
 * whole command, start-up included, wall time. Figures: metric points per second, and requests
 * the server received per run (everything: the experiment's calls and the index search included).
 * No baseline can run here (MLflow cannot be installed on this machine), so each figure is set
 * against the target: ≥ 50,000 points/s, ≤ 3 requests per run.
 * Run: pnpm --filter @heart/mlflow bench     (pnpm bench runs every benchmark, one at a time)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compare, printRows, ReplayServer, runPairs, writeBenchResults } from '@heart/test-support';
import { createTrackingClient } from '../src/index.js';

const RUNS = 1000;
const PARAMS = 20;
const STEPS = 50;
const POINTS = RUNS * STEPS * 2;
const SYNCS = 5;
const cli = resolve(import.meta.dirname, '../dist/cli.js');

if (!existsSync(cli)) {
  console.error(`build first: ${cli} is missing (pnpm turbo run build)`);
  process.exit(1);
}

/** The source store, written once with the client. */
async function buildSource(root: string): Promise<void> {
  const client = createTrackingClient({ trackingUri: root, env: {} });
  const experiment = await client.setExperiment('bench');
  const params = Object.fromEntries(Array.from({ length: PARAMS }, (_, i) => [`param_${i}`, i]));
  const base = 1_790_000_000_000;
  for (let run = 0; run < RUNS; run++) {
    const active = await client.startRun({
      experimentId: experiment.experimentId,
      runName: `run-${run}`,
    });
    const metrics = [];
    for (let step = 0; step < STEPS; step++) {
      metrics.push({
        key: 'loss',
        value: 1 / (step + 1) + run / 1e6,
        step,
        timestamp: base + step,
      });
      metrics.push({ key: 'accuracy', value: step / STEPS, step, timestamp: base + step });
    }
    await active.logBatch({
      metrics,
      params: Object.entries(params).map(([key, value]) => ({ key, value: String(value) })),
    });
    await active.end('FINISHED');
  }
}

const work = mkdtempSync(join(tmpdir(), 'heart-sync-bench-'));
/** Requests that are not one run's (the experiment, the index of copies, the registry). */
let others = 0;
try {
  const source = join(work, 'mlruns');
  console.log(`writing the source: ${RUNS} runs × (${PARAMS} params + ${STEPS * 2} points)`);
  await buildSource(source);
  const once = async () => {
    const server = new ReplayServer('artifactproxy');
    const url = await server.start();
    try {
      const started = process.hrtime.bigint();
      // Asynchronous: the server answers in this process while the sync runs in its own.
      const child = await new Promise<{ status: number | null; output: string }>((done) => {
        const proc = spawn(process.execPath, [cli, 'sync', source, url], {
          env: { PATH: process.env.PATH },
        });
        let output = '';
        proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        proc.on('close', (status) => done({ status, output }));
      });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (child.status !== 0) throw new Error(`sync failed:\n${child.output.slice(-2000)}`);
      if (server.runs.size !== RUNS)
        throw new Error(`${server.runs.size} runs arrived, not ${RUNS}`);
      const perRun = ['runs/create', 'runs/log-batch', 'runs/update'].map(
        (endpoint) => server.received.filter((request) => request.path.endsWith(endpoint)).length,
      );
      if (perRun.some((count) => count !== RUNS))
        throw new Error(
          `create, log-batch, update: ${perRun.join(', ')} requests, not ${RUNS} each`,
        );
      others = server.received.length - 3 * RUNS;
      return { pointsPerSecond: POINTS / seconds, requestsPerRun: server.received.length / RUNS };
    } finally {
      await server.stop();
    }
  };
  console.log(`sync file store → replay server, ${SYNCS} runs after a warm-up`);
  const { heart } = await runPairs({ pairs: SYNCS, heart: once });
  const rows = [
    compare({
      figure: 'sync, metric points per second',
      unit: 'points/s',
      baseline: 'target (issue 17)',
      heart: heart.map((sample) => sample.pointsPerSecond!),
      base: [50_000],
      note: `${RUNS} runs × ${STEPS * 2} points + ${PARAMS} params, the CLI's whole process; target ≥ 50,000`,
    }),
    compare({
      figure: 'sync, requests per run',
      unit: 'requests',
      baseline: 'target (issue 17)',
      heart: heart.map((sample) => sample.requestsPerRun!),
      base: [3],
      note: `every request the server received / runs: one runs/create, log-batch and update per run, and ${others} for the whole sync (experiments, the index of copies, the registry); target ≤ 3`,
    }),
  ];
  printRows(rows);
  writeBenchResults('mlflow-sync', rows);
} finally {
  rmSync(work, { recursive: true, force: true });
}
