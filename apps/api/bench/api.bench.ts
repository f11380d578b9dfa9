/**
 * Load test on loopback with wrk (2 threads, 32 connections, 10 s a run) against the heart API
 * (random forest, 100 trees) and a bare node:http server answering constant JSON (the ceiling).
 * Every server starts once and warms up for 3 s; then each pair runs bare, then every API route in
 * turn (POST /predict, /invocations and OIP v2 infer with 1 row, /predict/batch with 100 rows,
 * /invocations and infer with 100 rows), 3 pairs. Each other route is compared with its own
 * heart route (/predict for 1 row, /predict/batch for 100) run right before it, so that a ratio
 * compares neighbouring runs, not runs a minute apart on a machine whose speed drifts. Needs wrk
 * (apt-get install -y wrk) and the build.
 *
 * Run: pnpm --filter @heart/api-app bench       (pnpm bench runs every benchmark, one at a time)
 * Settings: BENCH_WORKERS=2 (the API's WORKERS), BENCH_SECONDS (10), BENCH_PAIRS (3),
 * BENCH_ROUTES=predict,batch (a subset), BENCH_API_MAIN (another build of main.js, to compare).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type BenchRow,
  compare,
  printRows,
  runPairs,
  type Sample,
  writeBenchResults,
} from '@heart/test-support';
import { type Scenario, writeScenarios } from './scenarios.js';
import { type Started, startBare, startServer, writeModel } from './servers.js';
import { hasWrk, runWrk } from './wrk.js';

const env = process.env;
const PAIRS = Number(env.BENCH_PAIRS || 3);
const SECONDS = Number(env.BENCH_SECONDS || 10);
const WORKERS = env.BENCH_WORKERS || '1';
const WARM_UP_SECONDS = 3;
const PYTHON =
  'Python original (FastAPI + scikit-learn, reference file, not re-run): 52–79 req/s with the forest, p99 760–1,051 ms';
const main = resolve(env.BENCH_API_MAIN || resolve(import.meta.dirname, '../dist/main.js'));
/** Node's flags in `pnpm start` (package.json): both servers run with them, as the service does. */
const NODE_FLAGS = startFlags();
const bench = WORKERS === '1' ? 'api' : `api-workers-${WORKERS}`;

if (!hasWrk()) {
  const skipped = 'API benchmark skipped: wrk is not installed. Install it: apt-get install -y wrk';
  console.log(skipped);
  writeBenchResults(bench, [], [skipped]);
  process.exit(0);
}
if (!existsSync(main)) {
  console.error(`build first: ${main} is missing (pnpm turbo run build)`);
  process.exit(1);
}

/** One wrk run of `scenario` on `server`: req/s, rows/s, p50 and p99, keyed by the scenario. */
function measure(server: Started, scenario: Scenario, seconds = SECONDS): Sample {
  const figures = runWrk(server.url, scenario.script, seconds);
  if (figures.non2xx > 0) throw new Error(`${scenario.label} answered ${figures.non2xx} non-2xx`);
  return {
    [`${scenario.key}_rps`]: figures.requestsPerSecond,
    [`${scenario.key}_rows`]: figures.requestsPerSecond * scenario.rows,
    [`${scenario.key}_p50`]: figures.p50Ms,
    [`${scenario.key}_p99`]: figures.p99Ms,
  };
}

const column = (samples: readonly Sample[], key: string) => samples.map((s) => s[key]!);

/** The heart route a scenario is compared with: /predict for one row, /predict/batch for more. */
const baseOf = (scenario: Scenario) => (scenario.rows === 1 ? 'predict' : 'batch');

/**
 * One pair's heart runs: every scenario in turn, each other route right after a run of its own
 * base route, whose figures it keeps as `<key>_ref_*` (the base is run again when the run before
 * was another route).
 */
function heartRuns(api: Started, scenarios: Scenario[]): Sample {
  const sample: Sample = {};
  let last: { key: string; figures: Sample } | undefined;
  for (const scenario of scenarios) {
    const baseKey = baseOf(scenario);
    const base = scenarios.find((other) => other.key === baseKey);
    const compared = base !== undefined && scenario.key !== baseKey;
    if (compared && last?.key !== baseKey) last = { key: baseKey, figures: measure(api, base) };
    const figures = measure(api, scenario);
    if (compared && last) {
      for (const [name, value] of Object.entries(last.figures)) {
        sample[name.replace(baseKey, `${scenario.key}_ref`)] = value;
      }
    }
    Object.assign(sample, figures);
    last = { key: scenario.key, figures };
  }
  return sample;
}

/** The rows: /predict against bare node:http, every other route against its heart counterpart. */
function rowsOf(
  samples: { heart: Sample[]; baseline: Sample[] },
  scenarios: Scenario[],
): BenchRow[] {
  const workers = WORKERS === '1' ? '' : ` (WORKERS=${WORKERS})`;
  const rows: BenchRow[] = [];
  for (const scenario of scenarios) {
    const { key, label } = scenario;
    const bare = key === 'predict';
    const base = bare ? samples.baseline : samples.heart;
    // /predict against bare's run before it; every other route against its base's run before it.
    const baseKey = bare ? 'predict' : `${key}_ref`;
    const baseline = bare
      ? 'bare node:http'
      : baseOf(scenario) === 'predict'
        ? '/predict (the run before)'
        : '/predict/batch (the run before)';
    const has = base.length > 0 && base[0]![`${baseKey}_rps`] !== undefined;
    const unit = scenario.rows === 1 ? 'req/s' : 'rows/s';
    const figure = scenario.rows === 1 ? 'rps' : 'rows';
    rows.push(
      compare({
        figure: `${label}${workers}, throughput`,
        unit,
        baseline,
        heart: column(samples.heart, `${key}_${figure}`),
        base: has || bare ? column(base, `${baseKey}_${figure}`) : undefined,
      }),
    );
    for (const quantile of ['p50', 'p99']) {
      rows.push(
        compare({
          figure: `${label}${workers}, ${quantile} latency`,
          unit: 'ms',
          baseline,
          heart: column(samples.heart, `${key}_${quantile}`),
          base: has || bare ? column(base, `${baseKey}_${quantile}`) : undefined,
        }),
      );
    }
  }
  printRows(rows);
  return rows;
}

/** The targets, from the medians. */
function targets(rows: BenchRow[]): string {
  const met = (ok: boolean | undefined) =>
    ok === undefined ? 'not measured' : ok ? 'met' : 'NOT met';
  // A route's rows, by figure: `POST /predict (WORKERS=2), p99 latency` and the like.
  const isBatch = (row: BenchRow) => row.figure.includes('/predict/batch');
  const of = (batchRoute: boolean, suffix: string) =>
    rows.find(
      (row) =>
        row.figure.startsWith('POST /predict') &&
        isBatch(row) === batchRoute &&
        row.figure.endsWith(suffix),
    );
  const predict = of(false, 'throughput');
  const predictP99 = of(false, 'p99 latency');
  const batch = of(true, 'throughput');
  const batchP99 = of(true, 'p99 latency');
  const within = rows
    .filter((row) => /invocations|infer/.test(row.figure) && row.figure.endsWith('throughput'))
    .map(
      (row) =>
        `${row.figure.replace(/, throughput$/, '')} ${row.ratio ? row.ratio.median.toFixed(2) : '–'}×`,
    );
  return [
    `targets (medians): /predict ≥ 0.60 of bare ${met(predict?.ratio && predict.ratio.median >= 0.6)}, p99 ≤ 5 ms ${met(predictP99 && predictP99.heart.median <= 5)}`,
    `/predict/batch ≥ 150,000 rows/s ${met(batch && batch.heart.median >= 150_000)}, p99 ≤ 25 ms ${met(batchP99 && batchP99.heart.median <= 25)}`,
    `/invocations and infer vs their heart route (within 10% = ≥ 0.90): ${within.join('; ')}`,
  ].join('\n');
}

const work = mkdtempSync(join(tmpdir(), 'heart-api-bench-'));
const servers: Started[] = [];
try {
  await writeModel(work);
  const scenarios = await writeScenarios(work, env.BENCH_ROUTES?.split(','));
  const bare = await startBare(NODE_FLAGS);
  servers.push(bare);
  const apiEnv = { MODEL_DIR: work, LOG_LEVEL: 'warn', WORKERS };
  const api = await startServer('heart API', [...NODE_FLAGS, main], apiEnv);
  servers.push(api);
  const predict = scenarios.find((scenario) => scenario.key === 'predict') ?? scenarios[0]!;
  runWrk(bare.url, predict.script, WARM_UP_SECONDS);
  for (const scenario of scenarios) measure(api, scenario, WARM_UP_SECONDS);
  console.log(
    `heart API (WORKERS=${WORKERS}, node ${NODE_FLAGS.join(' ')}) vs bare node:http, wrk -t2 -c32 -d${SECONDS}s, ${PAIRS} pairs (bare first, then each route, each after its own base route)`,
  );
  const samples = await runPairs({
    pairs: PAIRS,
    baselineFirst: true,
    warmUp: false,
    heart: () => heartRuns(api, scenarios),
    baseline: () => measure(bare, predict),
  });
  const rows = rowsOf(samples, scenarios);
  const summary = targets(rows);
  console.log(`${summary}\n${PYTHON}`);
  writeBenchResults(bench, rows, [...summary.split('\n'), PYTHON]);
} finally {
  for (const { child } of servers) child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}

/** The flags between `node` and `dist/main.js` in package.json's `start` script. */
function startFlags(): string[] {
  const { scripts } = JSON.parse(
    readFileSync(resolve(import.meta.dirname, '../package.json'), 'utf8'),
  );
  const words = String(scripts.start).split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== 'dist/main.js') {
    throw new Error(
      `package.json's start script is not "node [flags] dist/main.js": ${scripts.start}`,
    );
  }
  return words.slice(1, -1);
}
