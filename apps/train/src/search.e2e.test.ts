import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTrackingClient, inspectFileStore, type Run } from '@heart/mlflow';
import { childOutput, UCI_DIR } from '@heart/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './test-support/temp-dir.js';

const APP = resolve(import.meta.dirname, '..');
const MAIN = join(APP, 'dist', 'main.js');

let work: { path: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  work = await tempDir('heart-train-search-');
});
afterAll(() => work.cleanup());

/** Runs the built train CLI on the fixture copy of the UCI files (a folder: no download). */
function train(name: string, args: string[]) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(MLFLOW_|HEART_)/.test(key)),
  );
  const child = spawn(
    process.execPath,
    [
      MAIN,
      ...['--data-url', UCI_DIR, '--data-dir', join(work.path, 'raw')],
      ...['--tracking-uri', join(work.path, name, 'mlruns')],
      ...['--output', join(work.path, name, 'models'), ...args],
    ],
    { env: { ...env, HEART_ROOT: work.path }, cwd: APP },
  );
  return childOutput(child);
}

const param = (run: Run, key: string) => run.data.params.find((p) => p.key === key)?.value;
const metric = (run: Run, key: string) => run.data.metrics.find((m) => m.key === key)?.value;
const tag = (run: Run, key: string) => run.data.tags.find((t) => t.key === key)?.value;

/** Every run of the store's one experiment, and the children of each parent. */
async function runsOf(name: string) {
  const store = join(work.path, name, 'mlruns');
  const client = createTrackingClient({ trackingUri: store });
  const experiment = await client.getExperimentByName('heart-disease-mlops');
  const experimentIds = [experiment!.experimentId];
  const all = (await client.searchRuns({ experimentIds })).runs;
  const childrenOf = async (parent: Run) =>
    (
      await client.searchRuns({
        experimentIds,
        filter: `tags.mlflow.parentRunId = '${parent.info.runId}'`,
        orderBy: ['attributes.run_name'],
      })
    ).runs;
  const parent = (runName: string) => all.find((run) => run.info.runName === runName)!;
  return { store, all, childrenOf, parent, close: () => client.close() };
}

/** The forest grid of the test: 2 × 2 candidates of 10-tree forests. */
const SPACE = {
  model: 'rf',
  fixed: { nEstimators: 10 },
  grid: { maxDepth: [null, 3], minSamplesLeaf: [1, 5] },
};

describe('pnpm turbo run train -- --search (built CLI, file store)', () => {
  let outcomes: Record<string, { code: number | null; stdout: string; stderr: string }>;

  beforeAll(async () => {
    const space = join(work.path, 'space.json');
    await writeFile(space, JSON.stringify(SPACE));
    const grid = ['--search', 'grid', '--search-space', space];
    outcomes = {
      two: await train('two', [...grid, '--search-jobs', '2']),
      one: await train('one', [...grid, '--search-jobs', '1']),
    };
  }, 240_000);

  it('leaves a parent run with one nested child run per candidate, as autolog lays out a GridSearchCV', async () => {
    expect(outcomes.two!.stderr).not.toMatch(/failed/);
    expect(outcomes.two!.code).toBe(0);
    // The stages are reported on stderr, the summary on stdout.
    expect(outcomes.two!.stderr).toMatch(
      /random-forest: grid search .* 4 candidates × 5 folds, best \{ maxDepth: .* 4 child runs of [0-9a-f]{32}/,
    );
    const runs = await runsOf('two');
    const forest = runs.parent('random-forest');
    const children = await runs.childrenOf(forest);
    expect(children.map((run) => run.info.runName)).toEqual(
      [0, 1, 2, 3].map((i) => `random-forest-candidate-${i}`),
    );
    expect(runs.all).toHaveLength(6);
    expect(tag(forest, 'heart.search')).toBe('grid');
    expect(tag(forest, 'mlflow.parentRunId')).toBeUndefined();
    // ParameterGrid's order: options sorted by name, the last varying fastest.
    expect(
      children.map((run) => [param(run, 'max_depth'), param(run, 'min_samples_leaf')]),
    ).toEqual([
      ['None', '1'],
      ['None', '5'],
      ['3', '1'],
      ['3', '5'],
    ]);
    for (const child of children) {
      expect(child.info.status).toBe('FINISHED');
      expect(param(child, 'n_estimators')).toBe('10');
      expect(child.data.metrics.map((m) => m.key).sort()).toEqual(
        [
          'mean_fit_time',
          'mean_score_time',
          'mean_test_score',
          'rank_test_score',
          'std_fit_time',
          'std_score_time',
          'std_test_score',
        ].sort(),
      );
      // No model on a child: its artifacts folder is empty.
      const artifacts = fileURLToPath(child.info.artifactUri);
      expect(existsSync(artifacts) ? await readdir(artifacts) : []).toEqual([]);
    }
    // The parent: the best candidate's params, its CV score, its model, cv_results.csv.
    const best = children.find((run) => metric(run, 'rank_test_score') === 1)!;
    expect(param(forest, 'best_max_depth')).toBe(param(best, 'max_depth'));
    expect(param(forest, 'best_min_samples_leaf')).toBe(param(best, 'min_samples_leaf'));
    expect(param(forest, 'max_depth')).toBe(param(best, 'max_depth'));
    expect(param(forest, 'search_candidates')).toBe('4');
    expect(metric(forest, 'best_cv_score')).toBe(metric(best, 'mean_test_score'));
    // The parent's CV is its best candidate's, on the same folds: the same mean, to the last bit.
    expect(metric(forest, 'cv_roc_auc_mean')).toBe(metric(best, 'mean_test_score'));
    const folder = fileURLToPath(forest.info.artifactUri);
    expect(await readdir(folder)).toEqual(expect.arrayContaining(['cv_results.csv', 'model']));
    const csv = (await readFile(join(folder, 'cv_results.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(5);
    expect(csv[0]).toMatch(
      /^mean_fit_time,.*param_max_depth,param_min_samples_leaf,params,split0_test_score,.*,rank_test_score$/,
    );
    // The model not searched is trained as always: no children, no search params.
    const linear = runs.parent('logistic-regression');
    expect(await runs.childrenOf(linear)).toEqual([]);
    expect(param(linear, 'search')).toBeUndefined();
    expect(await inspectFileStore(runs.store)).toMatchObject({ readable: true, problems: [] });
    await runs.close();
  });

  it('gives the same scores and ranks with one worker thread as with two', async () => {
    expect(outcomes.one!.code).toBe(0);
    const scores = async (name: string) => {
      const runs = await runsOf(name);
      const children = await runs.childrenOf(runs.parent('random-forest'));
      await runs.close();
      return children.map((run) => [
        metric(run, 'mean_test_score'),
        metric(run, 'rank_test_score'),
      ]);
    };
    expect(await scores('one')).toEqual(await scores('two'));
  });
});

describe('--search random and bad search spaces', () => {
  it('draws --trials candidates from the default space (lr: C loguniform 0.001..100)', async () => {
    const outcome = await train('random', [
      '--models',
      'lr',
      '--search',
      'random',
      '--trials',
      '3',
    ]);
    expect(outcome.stderr).toMatch(/logistic-regression: random search .* 3 candidates × 5 folds/);
    expect(outcome.code).toBe(0);
    const runs = await runsOf('random');
    const children = await runs.childrenOf(runs.parent('logistic-regression'));
    expect(children).toHaveLength(3);
    for (const child of children) {
      const C = Number(param(child, 'C'));
      expect(C).toBeGreaterThanOrEqual(0.001);
      expect(C).toBeLessThan(100);
    }
    await runs.close();
  }, 120_000);

  it('refuses a bad --search-space file before any work, naming the file and the path at fault', async () => {
    const file = join(work.path, 'bad-space.json');
    await writeFile(file, JSON.stringify({ model: 'rf', grid: { n_estimators: [10] } }));
    const bad = await train('bad', ['--search', 'grid', '--search-space', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(file);
    expect(bad.stderr).toMatch(
      /space\.grid\.n_estimators: random-forest has no option "n_estimators"; did you mean "nEstimators"\?/,
    );
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(work.path, 'bad', 'mlruns'))).toBe(false);

    const other = join(work.path, 'lr-space.json');
    await writeFile(other, JSON.stringify({ model: 'lr', grid: { C: [1] } }));
    const notTrained = await train('bad', [
      '--models',
      'rf',
      '--search',
      'grid',
      '--search-space',
      other,
    ]);
    expect(notTrained.code).toBe(2);
    expect(notTrained.stderr).toMatch(
      /tunes logistic-regression \("lr"\), which --models \(rf\) does not train/,
    );

    await writeFile(other, '{ "model": ');
    const notJson = await train('bad', ['--search', 'grid', '--search-space', other]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/is not JSON/);
    const missing = await train('bad', ['--search', 'grid', '--search-space', 'nowhere.json']);
    expect(missing.stderr).toMatch(/nowhere\.json cannot be read: no such file/);
    expect(existsSync(join(work.path, 'bad', 'mlruns'))).toBe(false);
  }, 60_000);
});
