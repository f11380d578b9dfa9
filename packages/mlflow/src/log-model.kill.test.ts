import { fork } from 'node:child_process';
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { listFiles, tempDir } from '@heart/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore } from './file-store/file-store.js';
import { inspectFileStore } from './file-store/inspect-file-store.js';
import { exists } from './file-store/store-layout.js';
import { parseYaml } from './internal/yaml.js';
import { createTrackingClient } from './tracking-client.js';

const CHILD = join(import.meta.dirname, 'test-support', 'writer-child.ts');
const DATA = ['part-0.bin', 'part-1.bin', 'part-2.bin', 'weights/layer-0.bin'];
const EXPERIMENT = 'heart-disease-mlops';

/** A child that logs a model (twice with `relog`) and SIGKILLs itself before its `killAt`-th rename. */
function logModelChild(
  root: string,
  killAt: number,
  options: { relog: boolean; artifactPath: string },
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      HEART_TEST_MLRUNS: root,
      HEART_TEST_MODE: 'model',
      HEART_TEST_KILL_AT: String(killAt),
      HEART_TEST_RELOG: options.relog ? '1' : '0',
      HEART_TEST_ARTIFACT_PATH: options.artifactPath,
    },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
}

/** What a reader finds at a model folder: nothing, or every file of one version (its name). */
async function modelState(folder: string, what: string): Promise<string> {
  if (!(await exists(folder))) return 'absent';
  expect(await listFiles(folder), what).toEqual(['MLmodel', ...DATA]);
  const mlmodel = parseYaml(await readFile(join(folder, 'MLmodel'), 'utf8')) as {
    flavors: { heart: { version: string } };
  };
  const version = mlmodel.flavors.heart.version;
  // Each data file of MLmodel's version, whole: `<version>:<name>:` 500 times.
  const found = await Promise.all(
    DATA.map(async (name) => {
      const text = await readFile(join(folder, name), 'utf8');
      const whole = text === `${text.split(':')[0]}:${name}:`.repeat(500);
      return `${name} ${whole ? text.split(':')[0] : 'torn'}`;
    }),
  );
  expect(found, what).toEqual(DATA.map((name) => `${name} ${version}`));
  return version;
}

/** Every entry below `folder`, hidden ones included, as relative paths. */
async function everyEntry(folder: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(folder, prefix), { withFileTypes: true })) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    out.push(path);
    if (entry.isDirectory()) out.push(...(await everyEntry(folder, path)));
  }
  return out;
}

/**
 * What MLflow's readers see of the store: no problem at all (a staging folder in an experiment
 * folder would be a run without meta.yaml), only run folders in the experiment, and no hidden
 * entry anywhere in a run's artifacts (MLflow's list_artifacts shows those).
 */
async function expectNothingHalfDoneInSight(root: string, what: string) {
  const store = new FileStore(root);
  const experiment = (await store.getExperimentByName(EXPERIMENT))!;
  expect((await inspectFileStore(root)).problems, what).toEqual([]);
  for (const name of await readdir(join(root, experiment.experimentId)))
    expect(name, what).toMatch(/^(meta\.yaml|tags|[0-9a-f]{32})$/);
  const { runs } = await store.searchRuns({
    experimentIds: [experiment.experimentId],
    viewType: 'ALL',
  });
  return Promise.all(
    runs.map(async (run) => {
      const artifacts = fileURLToPath(run.info.artifactUri);
      const entries = await everyEntry(artifacts).catch(() => []);
      expect(
        entries.filter((path) => path.split('/').some((part) => part.startsWith('.'))),
        `${what}: ${run.info.runName}`,
      ).toEqual([]);
      return { runId: run.info.runId, artifacts, runName: run.info.runName };
    }),
  );
}

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  dir = await tempDir('heart-model-kill-');
});
afterEach(async () => {
  await dir.cleanup();
});

const SCENARIOS = [
  { name: 'logged once into the file store', relog: false, artifactPath: 'model', outside: false },
  { name: 'logged again to a nested path', relog: true, artifactPath: 'a/b/model', outside: false },
  {
    name: 'logged again, artifacts outside the store',
    relog: true,
    artifactPath: 'model',
    outside: true,
  },
];

describe('logModel on a local artifact root, SIGKILLed at every rename', () => {
  for (const scenario of SCENARIOS) {
    it(`leaves the model folder absent or whole: ${scenario.name}`, async () => {
      const root = join(dir.path, 'mlruns');
      const client = createTrackingClient({ trackingUri: root });
      const experiment = await client.setExperiment(EXPERIMENT);
      const outside = join(dir.path, 'mlartifacts');
      if (scenario.outside) {
        // An experiment whose artifact_location is a folder of its own, as a server's would be.
        const meta = join(root, experiment.experimentId, 'meta.yaml');
        const location = pathToFileURL(join(outside, experiment.experimentId)).href;
        const text = await readFile(meta, 'utf8');
        await writeFile(
          meta,
          text.replace(/^artifact_location: .*$/m, `artifact_location: ${location}`),
        );
      }
      let kills = 0;
      for (let killAt = 1; killAt <= 11; killAt++) {
        const result = await logModelChild(root, killAt, scenario);
        if (result.signal === 'SIGKILL') kills++;
        else expect(result.code, result.stderr).toBe(0);
        const what = `killed before rename ${killAt}`;
        for (const run of await expectNothingHalfDoneInSight(root, what)) {
          const folder = join(run.artifacts, ...scenario.artifactPath.split('/'));
          const state = await modelState(folder, `${what}, ${run.runName}`);
          expect(scenario.relog ? ['absent', 'v1', 'v2'] : ['absent', 'v1']).toContain(state);
          if (run.runName === `kill-${killAt}` && result.signal !== 'SIGKILL')
            expect(state).toMatch(/^v/);
        }
      }
      // Every file write, the folder swap and the history tag were a kill point.
      expect(kills).toBeGreaterThanOrEqual(scenario.relog ? 8 : 6);

      // Leftovers sit where the sweep looks: the store's .trash, or beside the artifact folder.
      const runs = await expectNothingHalfDoneInSight(root, 'after the kills');
      const killed = runs.find((run) => run.runName === 'kill-3')!;
      const stagingParent = scenario.outside ? join(killed.artifacts, '..') : join(root, '.trash');
      const leftovers = (await readdir(stagingParent)).filter((name) =>
        name.includes('heart-staging-'),
      );
      expect(leftovers.length).toBeGreaterThan(0);
      for (const name of leftovers)
        await utimes(join(stagingParent, name), new Date(0), new Date(0));
      // The next logModel into that run sweeps them (older than an hour) and replaces the folder whole.
      await client.logModel(killed.runId, {
        artifactPath: scenario.artifactPath,
        files: Object.fromEntries(DATA.map((name) => [name, `v3:${name}:`.repeat(500)])),
        flavor: { name: 'heart', config: { model_file: 'part-0.bin', version: 'v3' } },
      });
      const folder = join(killed.artifacts, ...scenario.artifactPath.split('/'));
      expect(await modelState(folder, 'after the sweep')).toBe('v3');
      expect(
        (await readdir(stagingParent)).filter((name) => name.includes('heart-staging-')),
      ).toEqual([]);
      await expectNothingHalfDoneInSight(root, 'after the sweep');
    }, 90_000);
  }
});
