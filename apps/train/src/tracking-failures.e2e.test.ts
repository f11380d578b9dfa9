import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { MLFLOW_GOLDEN_DIR, tempDir, UCI_DIR } from '@heart/test-support';
import { describe, expect, it } from 'vitest';

const MAIN = join(resolve(import.meta.dirname, '..'), 'dist', 'main.js');

/** The recorded answers of a real MLflow 2.17.2 whose experiment stores artifacts in S3 directly. */
async function s3Answers(): Promise<Map<string, { status: number; body: unknown }>> {
  const text = await readFile(join(MLFLOW_GOLDEN_DIR, 's3-direct', 'exchanges.jsonl'), 'utf8');
  const answers = new Map<string, { status: number; body: unknown }>();
  for (const line of text.split('\n').filter(Boolean)) {
    const exchange = JSON.parse(line) as {
      seq: number;
      path: string;
      status: number;
      response_body: { json?: unknown };
    };
    if (exchange.seq > 3) break;
    answers.set(exchange.path, { status: exchange.status, body: exchange.response_body.json });
  }
  return answers;
}

describe('an experiment whose artifacts the client cannot write', () => {
  it('is refused before any training, naming its location and what to do', async () => {
    const work = await tempDir('heart-train-s3-');
    const answers = await s3Answers();
    const paths: string[] = [];
    const mlflow = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      paths.push(path);
      req.resume();
      const answer = answers.get(path);
      res.writeHead(answer?.status ?? 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer?.body ?? { error_code: 'ENDPOINT_NOT_FOUND' }));
    });
    await new Promise<void>((done) => mlflow.listen(0, '127.0.0.1', done));
    try {
      const url = `http://127.0.0.1:${(mlflow.address() as AddressInfo).port}`;
      const child = spawn(
        process.execPath,
        [
          MAIN,
          ...['--data-url', UCI_DIR, '--data-dir', join(work.path, 'raw')],
          ...['--tracking-uri', url, '--experiment', 'heart-s3-direct'],
          ...['--output', join(work.path, 'models')],
        ],
        { env: { PATH: process.env.PATH, HEART_ROOT: work.path } },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise((done) => child.on('exit', done));
      expect(code, stderr).toBe(1);
      expect(stderr).toContain('[UNSUPPORTED_URI]');
      expect(stderr).toContain('stores artifacts at s3://heart-artifacts/1');
      expect(stderr).toContain('restarting the server with --serve-artifacts does not change it');
      expect(stderr).toContain('Use a new experiment');
      // Nothing was trained or logged: no run was created.
      expect(paths.filter((path) => path.includes('runs/'))).toEqual([]);
      expect(stderr).not.toContain('✓ random-forest');
    } finally {
      mlflow.closeAllConnections();
      await new Promise((done) => mlflow.close(done));
      await work.cleanup();
    }
  });
});

describe('secrets', () => {
  it('never prints a credential of the tracking URI, whatever its scheme', async () => {
    const work = await tempDir('heart-train-secrets-');
    try {
      for (const uri of [
        'postgresql://mlflow:s3cr3tpw@db.example/mlflow',
        'mysql+pymysql://root:s3cr3tpw@db.example:3306/mlflow',
        'ftp://user:s3cr3tpw@files.example/mlruns',
        'databricks://profile:s3cr3tpw',
        'mlflow:s3cr3tpw@tracking.example:5000',
        'http://user:s3cr3tpw@127.0.0.1:9/',
      ]) {
        const child = spawn(
          process.execPath,
          [MAIN, ...['--data-url', UCI_DIR, '--data-dir', join(work.path, 'raw')]],
          {
            env: {
              PATH: process.env.PATH,
              HEART_ROOT: work.path,
              MLFLOW_TRACKING_URI: uri,
              MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0',
            },
          },
        );
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        const code = await new Promise((done) => child.on('exit', done));
        expect(code, output).toBe(1);
        expect(output, uri).toContain('heart-train: failed');
        expect(output, uri).not.toContain('s3cr3tpw');
      }
    } finally {
      await work.cleanup();
    }
  }, 60_000);
});

describe('an output that cannot be written', () => {
  it('says what happened, what MLflow holds, and leaves no stack trace', async () => {
    const work = await tempDir('heart-train-output-');
    try {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(work.path, 'a-file'), 'in the way');
      const child = spawn(
        process.execPath,
        [
          MAIN,
          ...['--data-url', UCI_DIR, '--data-dir', join(work.path, 'raw')],
          ...['--tracking-uri', join(work.path, 'mlruns'), '--models', 'lr'],
          ...['--output', join(work.path, 'a-file', 'models')],
        ],
        { env: { PATH: process.env.PATH, HEART_ROOT: work.path } },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      expect(await new Promise((done) => child.on('exit', done)), stderr).toBe(1);
      expect(stderr).toMatch(
        /heart-train: failed \[WRITE_FAILED\]: cannot write .*a-file.*: a part of the path is a file, not a folder \(ENOTDIR\)/,
      );
      expect(stderr).toMatch(
        /Nothing in models\/ was changed; the runs \w+ finished in MLflow and heart-disease version 1 is registered with the alias champion\./,
      );
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      await work.cleanup();
    }
  });
});
