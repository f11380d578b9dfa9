import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, get, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createTrackingClient } from '@heart/mlflow';
import { pipelineFiles } from '@heart/pipeline';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE_PATIENT } from './schemas.js';
import { writeModelDir } from './test-support/fixtures.js';

const MAIN = resolve(import.meta.dirname, '..', 'dist', 'main.js');
/** coreutils' mkfifo: a model file whose read waits until the test writes it. */
const MKFIFO = 'mkfifo';
const running: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

interface Server {
  child: ChildProcess;
  url: string;
  logs: () => string;
  exited: Promise<number | null>;
}

/**
 * Starts the built service on an ephemeral port and waits for its "listening" log line (or its
 * exit): events, not a deadline — a slow machine only makes the wait longer (the test's timeout
 * still bounds it).
 */
async function start(env: Record<string, string>): Promise<Server> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(MLFLOW_|HEART_|PORT|HOST|MODEL_)/.test(key)),
  );
  const child = spawn(process.execPath, [MAIN], {
    env: { ...clean, PORT: '0', LOG_LEVEL: 'info', ...env },
  });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const check = () => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolveUrl(match[1]!);
    };
    child.stdout!.on('data', check);
    exited.then(() => reject(new Error(`exited before listening:\n${output}`)));
  });
  return { child, url, logs: () => output, exited };
}

const predict = (url: string, body: unknown = EXAMPLE_PATIENT) =>
  fetch(`${url}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/**
 * Checks every 50 ms until `check` holds. The test's timeout (30 s) bounds the wait; the stop at
 * 60 s only ends a loop left running after a test timed out, so it never decides a test.
 */
async function until(check: () => Promise<boolean>): Promise<void> {
  const stop = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > stop) throw new Error('condition not met (the test has timed out)');
    await new Promise((done) => setTimeout(done, 50));
  }
}

describe('the service as a process', () => {
  it('serves real HTTP on an ephemeral port and stops', async () => {
    const models = await writeModelDir('random-forest');
    cleanups.push(models.cleanup);
    const server = await start({ MODEL_DIR: models.dir });
    const response = await predict(server.url);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      prediction: expect.any(Number),
      model: { kind: 'random-forest' },
    });
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('exits at once, naming the file and what to run, when the model is missing or corrupt', async () => {
    const missing = spawn(process.execPath, [MAIN], {
      env: { ...process.env, PORT: '0', MODEL_DIR: '/nonexistent/models', MODEL_URI: '' },
    });
    let stderr = '';
    missing.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((done) => missing.on('exit', done));
    expect(code).toBe(1);
    expect(stderr).toBe(
      'heart-api: cannot start: /nonexistent/models/best_model.json is missing; run `pnpm turbo run train` to produce models/\n',
    );

    const models = await writeModelDir('random-forest');
    cleanups.push(models.cleanup);
    await writeFile(
      join(models.dir, 'preprocessor.json'),
      '{"kind":"column-pipeline","formatVersion":99}',
    );
    const corrupt = spawn(process.execPath, [MAIN], {
      env: { ...process.env, PORT: '0', MODEL_DIR: models.dir, MODEL_URI: '' },
    });
    let corruptErr = '';
    corrupt.stderr.on('data', (chunk: Buffer) => (corruptErr += chunk.toString()));
    expect(await new Promise((done) => corrupt.on('exit', done))).toBe(1);
    expect(corruptErr).toContain(
      `${join(models.dir, 'preprocessor.json')} is not a preprocessor heart can load: column-pipeline: formatVersion 99 is not supported`,
    );
  });

  it('reloads the model on SIGHUP, and keeps the old one when the new one is bad', async () => {
    const models = await writeModelDir('random-forest');
    cleanups.push(models.cleanup);
    const server = await start({ MODEL_DIR: models.dir });
    const kind = async () =>
      ((await (await fetch(`${server.url}/model`)).json()) as { kind: string }).kind;
    expect(await kind()).toBe('random-forest');
    // Replace the set the way train does (a new release, one link swapped), then ask for a reload.
    await writeModelDir('logistic-regression', models.dir);
    server.child.kill('SIGHUP');
    await until(async () => (await kind()) === 'logistic-regression');
    // A broken model: the reload fails, the logistic regression keeps serving.
    await writeFile(
      join(models.dir, 'best_model.json'),
      '{"kind":"random-forest","formatVersion":1,"trees":"nope"}',
    );
    server.child.kill('SIGHUP');
    await until(async () => server.logs().includes('model reload failed'));
    expect(await kind()).toBe('logistic-regression');
    expect((await predict(server.url)).status).toBe(200);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/heart_model_reloads_total\{result="success"\} 1/);
    expect(metrics).toMatch(/heart_model_reloads_total\{result="failure"\} 1/);
  });

  it('finishes an in-flight request on SIGTERM, then exits 0', async () => {
    const models = await writeModelDir('random-forest');
    cleanups.push(models.cleanup);
    const server = await start({ MODEL_DIR: models.dir });
    const body = JSON.stringify(EXAMPLE_PATIENT);
    const { port } = new URL(server.url);
    // Send the headers (the server's 100 Continue proves it has them: the request is in flight),
    // half the body, signal, and once the server is shutting down, the rest.
    const answer = new Promise<{ status: number; body: string }>((done, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/predict',
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            expect: '100-continue',
          },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => done({ status: res.statusCode!, body: text }));
        },
      );
      req.on('error', reject);
      req.on('continue', () => {
        req.write(body.slice(0, 40));
        server.child.kill('SIGTERM');
        until(async () => server.logs().includes('shutting down')).then(
          () => req.end(body.slice(40)),
          reject,
        );
      });
      req.flushHeaders();
    });
    const result = await answer;
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body).model.kind).toBe('random-forest');
    expect(await server.exited).toBe(0);
    expect(server.logs()).toContain('shutting down');
  });

  it('loads a model from an MLflow run with MODEL_URI=runs:/<id>/model', async () => {
    const models = await writeModelDir('logistic-regression');
    cleanups.push(models.cleanup);
    const trackingUri = join(models.dir, 'mlruns');
    const client = createTrackingClient({ trackingUri });
    const { readFile } = await import('node:fs/promises');
    const runId = await client.withRun(
      { experimentName: 'heart-disease-mlops', runName: 'logistic-regression' },
      async (run) => {
        await run.logMetric('roc_auc', 0.91);
        await run.logModel({
          files: {
            'model.json': await readFile(join(models.dir, 'best_model.json'), 'utf8'),
            'preprocessor.json': await readFile(join(models.dir, 'preprocessor.json'), 'utf8'),
          },
          flavor: { name: 'heart', config: { model_file: 'model.json' } },
        });
        return run.runId;
      },
    );
    const server = await start({
      MODEL_URI: `runs:/${runId}/model`,
      MLFLOW_TRACKING_URI: trackingUri,
    });
    const card = (await (await fetch(`${server.url}/model`)).json()) as {
      kind: string;
      runId: string;
      metrics: Record<string, number>;
    };
    expect(card).toMatchObject({ kind: 'logistic-regression', runId, metrics: { roc_auc: 0.91 } });
    expect((await predict(server.url)).status).toBe(200);
  });

  it('serves models:/heart-disease@champion: 503 until the alias exists, then follows it (MODEL_POLL_SECONDS)', async () => {
    const lr = await writeModelDir('logistic-regression');
    const rf = await writeModelDir('random-forest');
    cleanups.push(lr.cleanup, rf.cleanup);
    const trackingUri = join(lr.dir, 'mlruns');
    const client = createTrackingClient({ trackingUri, env: {} });
    const versions: string[] = [];
    for (const fixture of [lr, rf]) {
      const runId = await client.withRun({ experimentName: 'heart-disease-mlops' }, async (run) => {
        await run.logModel({
          files: pipelineFiles(fixture.pipeline, 'mlflow-model'),
          flavor: { name: 'heart', config: { model_file: 'model.json' } },
        });
        return run.runId;
      });
      versions.push(
        (await client.registry.registerModel(`runs:/${runId}/model`, 'heart-disease')).version,
      );
    }
    const server = await start({
      MODEL_URI: 'models:/heart-disease@champion',
      MLFLOW_TRACKING_URI: trackingUri,
      MODEL_POLL_SECONDS: '1',
      MODEL_CACHE_DIR: join(lr.dir, 'cache'),
    });
    // No alias yet: the service runs, but is not ready and predicts nothing.
    expect((await fetch(`${server.url}/ready`)).status).toBe(503);
    expect((await predict(server.url)).status).toBe(503);
    await client.registry.setRegisteredModelAlias('heart-disease', 'champion', versions[0]!);
    const card = async () =>
      (await (await fetch(`${server.url}/model`)).json()) as {
        kind?: string;
        registeredModel?: { version: string };
      };
    await until(async () => (await card()).registeredModel?.version === versions[0]);
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
    expect((await card()).kind).toBe('logistic-regression');
    const answer = (await (await predict(server.url)).json()) as {
      model: { registeredVersion: string };
    };
    expect(answer.model.registeredVersion).toBe(versions[0]);
    await client.registry.setRegisteredModelAlias('heart-disease', 'champion', versions[1]!);
    await until(async () => (await card()).kind === 'random-forest');
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/heart_model_swaps_total 1/);
    await client.close();
  });

  it('queues a SIGHUP that arrives during a reload, and runs it after (not dropped)', async () => {
    const forest = await writeModelDir('random-forest');
    const linear = await writeModelDir('logistic-regression');
    cleanups.push(forest.cleanup, linear.cleanup);
    // A plain folder (no releases/current link) whose best_model.json will be a FIFO: a load then
    // waits, deterministically, until the test writes the model into it.
    const dir = join(forest.dir, 'plain');
    await mkdir(dir);
    for (const name of ['best_model.json', 'preprocessor.json', 'metadata.json']) {
      await copyFile(join(forest.dir, name), join(dir, name));
    }
    const server = await start({ MODEL_DIR: dir });
    const count = (text: string) => server.logs().split(text).length - 1;
    for (const name of ['preprocessor.json', 'metadata.json']) {
      await copyFile(join(linear.dir, name), join(dir, name));
    }
    await rm(join(dir, 'best_model.json'));
    expect(spawnSync(MKFIFO, [join(dir, 'best_model.json')]).status).toBe(0);
    const model = await readFile(join(linear.dir, 'best_model.json'));
    server.child.kill('SIGHUP');
    await until(async () => count('"reason":"SIGHUP","msg":"loading the model"') === 1);
    // The first reload is waiting on the FIFO: this one must be queued behind it.
    server.child.kill('SIGHUP');
    await until(async () => count('this reload is queued behind it') === 1);
    await writeFile(join(dir, 'best_model.json'), model);
    await until(async () => count('model swapped') === 1);
    // The queued reload runs now, and waits on the FIFO in turn.
    await until(async () => count('"reason":"SIGHUP","msg":"loading the model"') === 2);
    await writeFile(join(dir, 'best_model.json'), model);
    await until(async () => count('model swapped') === 2);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/heart_model_reloads_total\{result="success"\} 2/);
    expect(((await (await fetch(`${server.url}/model`)).json()) as { kind: string }).kind).toBe(
      'logistic-regression',
    );
  });

  it('refuses a model file larger than MODEL_MAX_BYTES', async () => {
    const models = await writeModelDir('random-forest');
    cleanups.push(models.cleanup);
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        PORT: '0',
        MODEL_DIR: models.dir,
        MODEL_URI: '',
        MODEL_MAX_BYTES: '2048',
      },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await new Promise((done) => child.on('exit', done))).toBe(1);
    expect(stderr).toMatch(/best_model\.json: \d+ bytes, more than the 2048 bytes allowed/);
  });

  it('WORKERS=2: two processes on one port; SIGHUP reloads both, /metrics sums both, SIGTERM stops both (exit 0)', async () => {
    const models = await writeModelDir('random-forest');
    cleanups.push(models.cleanup);
    const server = await start({ MODEL_DIR: models.dir, WORKERS: '2' });
    expect(server.logs()).toMatch(/Server listening at http:\/\/127\.0\.0\.1:\d+ \(2 workers\)/);
    const { port } = new URL(server.url);
    /** One request on a new connection: which worker answered (its pid is in the request id) and with what. */
    const ask = (path: string) =>
      new Promise<{ pid: string; body: string }>((done, fail) => {
        get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () =>
            done({ pid: /^req-(\d+)-/.exec(String(res.headers['x-request-id']))?.[1] ?? '', body }),
          );
        }).on('error', fail);
      });
    /** Asks until both workers have answered; returns what each said last. */
    const both = async (path: string) => {
      const seen = new Map<string, string>();
      for (let i = 0; i < 200 && seen.size < 2; i++) {
        const { pid, body } = await ask(path);
        seen.set(pid, body);
      }
      expect(seen.size).toBe(2);
      return [...seen.values()];
    };
    for (const body of await both('/model')) expect(JSON.parse(body).kind).toBe('random-forest');
    await writeModelDir('logistic-regression', models.dir);
    server.child.kill('SIGHUP');
    await until(async () =>
      (await both('/model')).every((body) => JSON.parse(body).kind === 'logistic-regression'),
    );
    const before = Number(
      /heart_http_requests_total\{route="\/model",method="GET",status="200"\} (\d+)/.exec(
        (await ask('/metrics')).body,
      )?.[1],
    );
    await both('/model');
    const after = Number(
      /heart_http_requests_total\{route="\/model",method="GET",status="200"\} (\d+)/.exec(
        (await ask('/metrics')).body,
      )?.[1],
    );
    // Summed over both workers: at least the two just made, whichever worker answered /metrics.
    expect(after - before).toBeGreaterThanOrEqual(2);
    expect((await ask('/metrics')).body).toContain('process_cpu_user_seconds_total');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.logs().split('"msg":"shutting down"').length - 1).toBe(2);
  });
});

describe('secrets in the tracking URI', () => {
  /** Starts the service and collects everything it says, listening or not. */
  async function runUntilSettled(env: Record<string, string>) {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !/^(MLFLOW_|HEART_|PORT|HOST|MODEL_)/.test(key),
      ),
    );
    const child = spawn(process.execPath, [MAIN], {
      env: { ...clean, PORT: '0', LOG_LEVEL: 'debug', MODEL_POLL_SECONDS: '0', ...env },
    });
    running.push(child);
    let output = '';
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    // Settled: it listens (the model is loaded, or its failure logged, before that), or it exited.
    // Events, not a deadline: a slow machine only makes the wait longer.
    const settled = new Promise<void>((done) => {
      exited.then(() => done());
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        if (/Server listening at/.test(output)) done();
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
    });
    await settled;
    const url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    const bodies: string[] = [];
    if (url) {
      for (const path of ['/health', '/model', '/v2/health/ready', '/metrics'])
        bodies.push(await fetch(`${url}${path}`).then((r) => r.text()));
      child.kill('SIGTERM');
    }
    await exited;
    return `${output}\n${bodies.join('\n')}`;
  }

  it.each([
    'postgresql://mlflow:hunter2@db.internal:5432/mlflow',
    'mysql+pymysql://root:hunter2@db:3306/mlflow',
    'databricks://profile:hunter2',
    // A tracking server that refuses the credentials (401 at once, not retried).
    'http://admin:hunter2@LOCAL/',
    'http://LOCAL/?token=hunter2',
    'ftp://user:hunter2@127.0.0.1:9/mlruns',
  ])('%s: no line, log or answer of the service holds the password', async (template) => {
    const refusing = createServer((_req, res) =>
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"error_code":"UNAUTHENTICATED"}'),
    );
    await new Promise<void>((done) => refusing.listen(0, '127.0.0.1', done));
    cleanups.push(() => new Promise((done) => refusing.close(() => done())));
    const uri = template.replace('LOCAL', `127.0.0.1:${(refusing.address() as AddressInfo).port}`);
    const said = await runUntilSettled({
      MLFLOW_TRACKING_URI: uri,
      MODEL_URI: 'models:/heart-disease@champion',
    });
    expect(said.length).toBeGreaterThan(0);
    expect(said).not.toContain('hunter2');
    // It still says where: the host or profile is named.
    expect(said).toMatch(/db\.internal|db:3306|profile|127\.0\.0\.1:\d+/);
  });
});
