import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir, UCI_DIR } from '@heart/test-support';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadTrainingData } from './data-stage.js';
import { parseTrainOptions, type TrainOptions } from './options.js';

// House rule: never a secret in a log. HEART_DATA_URL may be a presigned URL; what the data
// stage prints and the sources it hands on (metadata.json's training.data.source, which
// GET /model answers) must not carry its signature.
const SECRET = 'hunter2-s3cr3t';
let dir: { path: string; cleanup: () => Promise<void> };
let server: ReturnType<typeof createServer>;
let url: string;
let first = true;
beforeEach(async () => {
  dir = await tempDir('heart-train-secrets-');
  first = true;
  server = createServer(async (_req, res) => {
    if (first) {
      first = false;
      res.writeHead(503).end();
      return;
    }
    res.end(await readFile(join(UCI_DIR, 'processed.cleveland.data')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/processed.cleveland.data`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await dir.cleanup();
});

it('a presigned HEART_DATA_URL: the retry line and the recorded sources hide the signature', async () => {
  const options = parseTrainOptions(
    [],
    { HEART_DATA_URL: `${url}?X-Amz-Signature=${SECRET}` },
    dir.path,
  ) as TrainOptions;
  const lines: string[] = [];
  const reporter = {
    stage: (name: string, _s: number, detail: string) => lines.push(`${name} ${detail}`),
    progress: () => undefined,
    line: (text: string) => lines.push(text),
  };
  const data = await loadTrainingData(options, reporter);
  expect(data.summary.rows).toBe(303);
  expect(lines.some((line) => line.includes('retry 1'))).toBe(true);
  expect(lines.join('\n')).not.toContain(SECRET);
  expect(data.sources.join(' ')).not.toContain(SECRET);
});
