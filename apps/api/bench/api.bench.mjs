// Load test on loopback: POST /predict on the heart API (random forest, 100 trees) against a bare
// node:http server answering constant JSON (the ceiling), measured in the same run with wrk:
// 32 connections, 2 threads, 10 s each, after 3 s of warm-up. Needs wrk (apt-get install wrk).
// Run: pnpm --filter @heart/api-app bench   (after pnpm turbo run build)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadDataset } from '@heart/data';
import { RandomForest } from '@heart/models';
import { createHeartPreprocessor } from '@heart/preprocessing';

const here = import.meta.dirname;
const main = resolve(here, '../dist/main.js');
// The repository's fixture copy of the UCI files.
const uciDir = resolve(here, '../../../packages/test-support/fixtures/data/uci-heart-disease');
const DURATION = process.env.HEART_BENCH_SECONDS ?? '10';
const BODY =
  '{"age":63,"sex":1,"cp":1,"trestbps":145,"chol":233,"fbs":1,"restecg":2,"thalach":150,"exang":0,"oldpeak":2.3,"slope":3,"ca":0,"thal":6}';

if (spawnSync('wrk', ['--version']).error) {
  console.log('wrk is not installed: apt-get install -y wrk (benchmark skipped)');
  process.exit(0);
}
if (!existsSync(main)) {
  console.error(`build first: ${main} is missing (pnpm turbo run build)`);
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'heart-api-bench-'));
const children = [];
try {
  // The model the issue names: a 100-tree random forest on Cleveland, as train writes it.
  const { rows } = await loadDataset(join(uciDir, 'processed.cleveland.data'));
  const preprocessor = createHeartPreprocessor().fit(rows);
  const forest = new RandomForest({ nEstimators: 100, seed: 42 }).fit(
    preprocessor.transform(rows),
    rows.map((row) => row.target),
    { featureNames: preprocessor.featureNames },
  );
  writeFileSync(join(work, 'best_model.json'), JSON.stringify(forest));
  writeFileSync(join(work, 'preprocessor.json'), JSON.stringify(preprocessor));
  writeFileSync(join(work, 'metadata.json'), JSON.stringify({ mlflow: { runId: 'bench' } }));
  writeFileSync(
    join(work, 'post.lua'),
    `wrk.method = "POST"\nwrk.body = '${BODY}'\nwrk.headers["Content-Type"] = "application/json"\n`,
  );

  const bare = `require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => { const body = '{"prediction":0,"probability":0.123456789,"model":{"kind":"random-forest","runId":"bench","version":"000000000000"}}'; res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); }); }).listen(8190, '127.0.0.1', () => console.log('listening'));`;
  const servers = [
    {
      name: 'bare node:http, constant JSON',
      args: ['-e', bare],
      env: {},
      url: 'http://127.0.0.1:8190/predict',
    },
    {
      name: 'heart API, POST /predict (RF 100 trees)',
      args: [main],
      env: { PORT: '8191', MODEL_DIR: work, LOG_LEVEL: 'warn' },
      url: 'http://127.0.0.1:8191/predict',
    },
  ];
  const results = [];
  for (const server of servers) {
    const child = spawn(process.execPath, server.args, {
      env: { ...process.env, ...server.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    child.stdout.resume();
    // Ready when it answers (the API logs nothing below warn here).
    for (let tries = 0; ; tries++) {
      const ok = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: BODY,
      }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (tries > 100) throw new Error(`${server.name} did not start`);
      await new Promise((wait) => setTimeout(wait, 100));
    }
    const check = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: BODY,
    });
    if (check.status !== 200) throw new Error(`${server.name} answered ${check.status}`);
    spawnSync('wrk', ['-t2', '-c32', '-d3s', '-s', join(work, 'post.lua'), server.url]);
    const out = spawnSync(
      'wrk',
      ['-t2', '-c32', `-d${DURATION}s`, '--latency', '-s', join(work, 'post.lua'), server.url],
      { encoding: 'utf8' },
    ).stdout;
    const ms = (text) =>
      text.endsWith('us')
        ? Number.parseFloat(text) / 1000
        : text.endsWith('ms')
          ? Number.parseFloat(text)
          : Number.parseFloat(text) * 1000;
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
    const p50 = ms(/ 50%\s+(\S+)/.exec(out)[1]);
    const p99 = ms(/ 99%\s+(\S+)/.exec(out)[1]);
    const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
    results.push({ name: server.name, rps, p50, p99, non2xx });
    child.kill('SIGTERM');
  }
  const [ceiling, api] = results;
  for (const r of results)
    console.log(
      `${r.name.padEnd(42)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms   non-2xx ${r.non2xx}`,
    );
  console.log(
    `ratio API / bare: ${(api.rps / ceiling.rps).toFixed(2)}   targets: ≥ 15,000 req/s ${api.rps >= 15000 ? 'met' : 'NOT met'}, ≥ 0.50 of bare ${api.rps / ceiling.rps >= 0.5 ? 'met' : 'NOT met'}, p99 ≤ 10 ms ${api.p99 <= 10 ? 'met' : 'NOT met'}`,
  );
  console.log(
    'Python original (FastAPI + sklearn, same machine class, reference file): 52–79 req/s with the forest, p99 760–1,051 ms',
  );
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
}
