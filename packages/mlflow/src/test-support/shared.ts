import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MLFLOW_GOLDEN_DIR } from '@heart/test-support';

/** The MLflow 2.17.2 recordings and trees (fixture copies). */
export const GOLDEN = MLFLOW_GOLDEN_DIR;

/** A fresh temp folder, removed by the returned cleanup. */
export async function tempDir(
  prefix = 'heart-mlflow-',
): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/**
 * Copies a golden tree to `target`, recreating the empty folders the copy dropped and pointing the
 * placeholder roots (`file:///tmp/…/mlruns`) at `target`, as if it had been written there (SPEC §7).
 */
export async function copyGoldenTree(
  name: 'filestore-handwritten' | 'filestore-python-client',
  target: string,
): Promise<void> {
  await cp(join(GOLDEN, name), target, { recursive: true });
  await mkdir(join(target, '.trash'), { recursive: true });
  for (const experiment of await readdir(target, { withFileTypes: true })) {
    if (
      !experiment.isDirectory() ||
      experiment.name.startsWith('.') ||
      experiment.name === 'models'
    )
      continue;
    for (const run of await readdir(join(target, experiment.name), { withFileTypes: true })) {
      if (!run.isDirectory() || run.name === 'tags') continue;
      for (const sub of ['metrics', 'params', 'tags', 'artifacts']) {
        await mkdir(join(target, experiment.name, run.name, sub), { recursive: true });
      }
    }
  }
  for (const file of (await listFiles(target)).filter((path) => path.endsWith('meta.yaml'))) {
    const text = await readFile(join(target, file), 'utf8');
    await writeFile(
      join(target, file),
      text.replace(/file:\/\/\/\S*?\/mlruns/g, pathToFileURL(target).href),
    );
  }
}

/** Every file below `root`, as sorted `/`-separated relative paths. */
export async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await listFiles(root, relative)));
    else out.push(relative);
  }
  return out.sort();
}

/** Listens on an ephemeral port of 127.0.0.1; returns `http://127.0.0.1:<port>`. */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes a server and every connection it holds. */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
}
