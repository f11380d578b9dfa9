/**
 * Load test on loopback with wrk (2 threads, 32 connections, 10 s a run): POST /predict on the
 * heart API (random forest, 100 trees) against a bare node:http server answering constant JSON
 * (the ceiling). Both servers start once and warm up for 3 s; then the runs alternate, bare then
 * API, 3 pairs. Needs wrk (apt-get install -y wrk) and the build (pnpm bench builds first).
 * Run: pnpm --filter @heart/api-app bench     (pnpm bench runs every benchmark, one at a time)
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pairedRows, runPairs, type Sample, writeBenchResults } from '@heart/test-support';
import { type Started, startBare, startServer, writeModel } from './servers.js';
import { hasWrk, runWrk } from './wrk.js';

const PAIRS = 3;
const SECONDS = 10;
const WARM_UP_SECONDS = 3;
const PYTHON =
  'Python original (FastAPI + scikit-learn, reference file, not re-run): 52–79 req/s with the forest, p99 760–1,051 ms';
const main = resolve(import.meta.dirname, '../dist/main.js');

if (!hasWrk()) {
  const skipped = 'API benchmark skipped: wrk is not installed. Install it: apt-get install -y wrk';
  console.log(skipped);
  writeBenchResults('api', [], [skipped]);
  process.exit(0);
}
if (!existsSync(main)) {
  console.error(`build first: ${main} is missing (pnpm turbo run build)`);
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'heart-api-bench-'));
const servers: Started[] = [];
try {
  await writeModel(work);
  const script = join(work, 'post.lua');
  const env = { MODEL_DIR: work, LOG_LEVEL: 'warn' };
  const bare = await startBare();
  servers.push(bare);
  const api = await startServer('heart API', [main], env);
  servers.push(api);
  for (const server of servers) runWrk(server.url, script, WARM_UP_SECONDS);
  const measure = (server: Started, name: string): Sample => {
    const figures = runWrk(server.url, script, SECONDS);
    if (figures.non2xx > 0) throw new Error(`${name} answered ${figures.non2xx} non-2xx`);
    return { rps: figures.requestsPerSecond, p50: figures.p50Ms, p99: figures.p99Ms };
  };
  console.log(
    `heart API vs bare node:http, wrk -t2 -c32 -d${SECONDS}s, ${PAIRS} pairs (bare first)`,
  );
  const samples = await runPairs({
    pairs: PAIRS,
    baselineFirst: true,
    warmUp: false,
    heart: () => measure(api, 'heart API'),
    baseline: () => measure(bare, 'bare node:http'),
  });
  const figures = [
    { key: 'rps', figure: 'API POST /predict, throughput', unit: 'req/s' },
    { key: 'p50', figure: 'API POST /predict, p50 latency', unit: 'ms' },
    { key: 'p99', figure: 'API POST /predict, p99 latency', unit: 'ms' },
  ];
  const rows = pairedRows(samples, figures, 'bare node:http');
  const [rps, , p99] = rows;
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const targets = `targets (medians): ≥ 15,000 req/s ${met(rps!.heart.median >= 15_000)}, ≥ 0.50 of bare ${met(rps!.ratio!.median >= 0.5)}, p99 ≤ 10 ms ${met(p99!.heart.median <= 10)}`;
  console.log(`${targets}\n${PYTHON}`);
  writeBenchResults('api', rows, [targets, PYTHON]);
} finally {
  for (const { child } of servers) child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
