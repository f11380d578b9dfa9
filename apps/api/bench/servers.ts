/** The two servers api.bench.ts loads: the heart API over a fresh model, and bare node:http. */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { loadDataset } from '@heart/data';
import { RandomForest } from '@heart/models';
import { createHeartPreprocessor } from '@heart/preprocessing';
import { UCI_DIR } from '@heart/test-support';

const BODY =
  '{"age":63,"sex":1,"cp":1,"trestbps":145,"chol":233,"fbs":1,"restecg":2,"thalach":150,"exang":0,"oldpeak":2.3,"slope":3,"ca":0,"thal":6}';

const BARE = `require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => { const body = '{"prediction":0,"probability":0.123456789,"model":{"kind":"random-forest","runId":"bench","version":"000000000000"}}'; res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); }); }).listen(Number(process.env.PORT), '127.0.0.1');`;

/** The model the issue names, as train writes it: a 100-tree random forest on Cleveland. */
export async function writeModel(folder: string): Promise<void> {
  const { rows } = await loadDataset(join(UCI_DIR, 'processed.cleveland.data'));
  const preprocessor = createHeartPreprocessor().fit(rows);
  const forest = new RandomForest({ nEstimators: 100, seed: 42 }).fit(
    preprocessor.transform(rows),
    rows.map((row) => row.target),
    { featureNames: preprocessor.featureNames },
  );
  writeFileSync(join(folder, 'best_model.json'), JSON.stringify(forest));
  writeFileSync(join(folder, 'preprocessor.json'), JSON.stringify(preprocessor));
  writeFileSync(join(folder, 'metadata.json'), JSON.stringify({ mlflow: { runId: 'bench' } }));
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? done(address.port) : fail()));
    });
  });
}

async function answers(url: string): Promise<boolean> {
  const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY };
  return fetch(url, init).then(
    (response) => response.status === 200,
    () => false,
  );
}

/** A started server: its child process and its base URL (`http://127.0.0.1:<port>`). */
export interface Started {
  child: ChildProcess;
  url: string;
}

/** Starts `node <args>` on a free port and waits until POST /predict answers 200 (one try in 100 ms, 20 s at most). */
export async function startServer(
  name: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; !(await answers(`${url}/predict`)); tries++) {
    if (tries > 200 || child.exitCode !== null) throw new Error(`${name} did not start`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
  return { child, url };
}

/** The ceiling: a bare node:http server answering constant JSON. */
export const startBare = (flags: string[] = []) =>
  startServer('bare node:http', [...flags, '-e', BARE]);
