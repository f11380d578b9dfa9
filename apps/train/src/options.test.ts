import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrainOptions, type TrainOptions, UsageError } from './options.js';
import { findRepoRoot } from './repo-root.js';
import { pickBest } from './select-and-save.js';
import type { TrainedModel } from './training-result.js';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
  parseTrainOptions(argv, env, '/repo') as TrainOptions;

describe('parseTrainOptions', () => {
  it('reads --search, --search-space, --trials and --search-jobs, and refuses them out of place', () => {
    expect(parse(['--search', 'grid']).search).toEqual({
      method: 'grid',
      spaceFile: undefined,
      trials: undefined,
      jobs: -1,
    });
    expect(
      parse([
        '--search',
        'RANDOM',
        '--search-space',
        's.json',
        '--trials',
        '7',
        '--search-jobs',
        '2',
      ]).search,
    ).toEqual({ method: 'random', spaceFile: 's.json', trials: 7, jobs: 2 });
    const refused = (argv: string[]) => () => parse(argv);
    expect(refused(['--search', 'bayes'])).toThrow(
      /--search must be one of grid, random, got "bayes"/,
    );
    expect(refused(['--trials', '5'])).toThrow(/--trials needs --search grid\|random/);
    expect(refused(['--search-space', 'x.json'])).toThrow(/--search-space needs --search/);
    expect(refused(['--search', 'grid', '--trials', '5'])).toThrow(
      /--trials is for --search random/,
    );
    expect(refused(['--search', 'random', '--trials', '0'])).toThrow(
      /--trials must be a whole number from 1/,
    );
    expect(refused(['--search', 'grid', '--search-jobs', '0'])).toThrow(/--search-jobs must be -1/);
    expect(refused(['--search', 'grid', '--search-space', ' '])).toThrow(
      /--search-space must not be empty/,
    );
    for (const argv of [
      ['--search', 'x'],
      ['--trials', '1'],
    ])
      expect(refused(argv)).toThrow(UsageError);
  });

  it('has the documented defaults', () => {
    expect(parse([])).toEqual({
      root: '/repo',
      trackingUri: undefined,
      // Resolved by @heart/mlflow (MLFLOW_EXPERIMENT_NAME), else DEFAULT_EXPERIMENT.
      experiment: undefined,
      dataSource: undefined,
      sites: ['cleveland'],
      dataDir: 'data/raw',
      verifyChecksum: true,
      seed: 42,
      split: 'sklearn',
      testSize: 0.2,
      cvFolds: 5,
      models: ['lr', 'rf'],
      selectMetric: 'roc_auc',
      outputDir: 'models',
      registeredModel: 'heart-disease',
      alias: 'champion',
      promote: 'if-better',
      offlineFallback: false,
      search: undefined,
      lr: { C: 1, maxIter: 1000 },
      rf: { nEstimators: 100, maxDepth: null, minSamplesLeaf: 1, maxFeatures: 'sqrt' },
    });
  });

  it('reads the environment, and flags win over it', () => {
    const env = {
      MLFLOW_TRACKING_URI: 'http://127.0.0.1:5000',
      MLFLOW_EXPERIMENT_NAME: 'from-env',
      HEART_DATA_URL: 'http://mirror/',
      HEART_SITES: 'va',
      HEART_SEED: '7',
      HEART_SPLIT: 'heart',
      HEART_MODELS: 'rf',
      HEART_MODEL_DIR: 'out',
    };
    expect(parse([], env)).toMatchObject({
      // MLFLOW_* are @heart/mlflow's to read: the options leave them alone.
      trackingUri: undefined,
      experiment: undefined,
      dataSource: 'http://mirror/',
      sites: ['va'],
      seed: 7,
      split: 'heart',
      models: ['rf'],
      outputDir: 'out',
    });
    expect(
      parse(
        [
          '--seed',
          '3',
          '--split',
          'sklearn',
          '--sites',
          'cleveland, Hungarian',
          '--models',
          'lr',
          '--rf-max-depth',
          '5',
          '--rf-max-features',
          '0.5',
          '--',
          '--no-verify-checksum',
        ],
        env,
      ),
    ).toMatchObject({
      seed: 3,
      split: 'sklearn',
      sites: ['cleveland', 'hungarian'],
      models: ['lr'],
      rf: { maxDepth: 5, maxFeatures: 0.5 },
      verifyChecksum: false,
    });
  });

  it('fails fast, naming the flag, on unknown flags and bad values', () => {
    const cases: [string[], RegExp][] = [
      [['--bogus'], /Unknown option '--bogus'/],
      [['--sites', 'mars'], /--sites: unknown "mars"/],
      [['--seed=-1'], /--seed must be a whole number/],
      [['--seed', '1.5'], /--seed must be a whole number/],
      [['--split', 'numpy'], /--split must be one of sklearn, heart, got "numpy"/],
      [['--test-size', '1'], /--test-size must be a share between 0 and 1/],
      [['--cv-folds', '1'], /--cv-folds must be a whole number from 2/],
      [['--models', 'lr,lr'], /names an item twice/],
      [['--models', 'svm'], /--models: unknown "svm"/],
      [['--select-metric', 'speed'], /--select-metric must be one of/],
      [['--lr-c', '0'], /--lr-c must be a positive number/],
      [['--rf-max-features', 'half'], /--rf-max-features must be/],
      [['extra'], /Unexpected argument/],
    ];
    for (const [argv, message] of cases) expect(() => parse(argv), argv.join(' ')).toThrow(message);
    expect(() => parse(['--bogus'])).toThrow(UsageError);
  });

  it('answers --help', () => {
    expect(parseTrainOptions(['-h'], {}, '/repo')).toBe('help');
  });

  it('falls back offline with --offline-fallback or HEART_MLFLOW_OFFLINE=fallback only', () => {
    expect(parse(['--offline-fallback']).offlineFallback).toBe(true);
    expect(parse([], { HEART_MLFLOW_OFFLINE: 'fallback' }).offlineFallback).toBe(true);
    expect(parse([], { HEART_MLFLOW_OFFLINE: 'off' }).offlineFallback).toBe(false);
    expect(parse([], { HEART_MLFLOW_OFFLINE: '' }).offlineFallback).toBe(false);
    expect(() => parse([], { HEART_MLFLOW_OFFLINE: 'yes' })).toThrow(
      /HEART_MLFLOW_OFFLINE must be one of fallback, off, got "yes"/,
    );
  });
});

describe('pickBest', () => {
  const run = (runName: string, roc_auc: number, log_loss: number) =>
    ({ runName, metrics: { roc_auc, log_loss } }) as unknown as TrainedModel;
  it('takes the highest score, the lowest loss, and the first on ties', () => {
    const runs = [run('a', 0.9, 0.3), run('b', 0.95, 0.4), run('c', 0.95, 0.2)];
    expect(pickBest(runs, 'roc_auc').runName).toBe('b');
    expect(pickBest(runs, 'log_loss').runName).toBe('c');
  });
});

describe('findRepoRoot', () => {
  it('finds the folder with pnpm-workspace.yaml above the app, or honours HEART_ROOT', async () => {
    const root = await mkdtemp(join(tmpdir(), 'heart-root-'));
    try {
      await writeFile(join(root, 'pnpm-workspace.yaml'), 'packages: []\n');
      await mkdir(join(root, 'apps', 'train'), { recursive: true });
      expect(findRepoRoot(join(root, 'apps', 'train'), {})).toBe(root);
      expect(findRepoRoot(join(root, 'apps', 'train'), { HEART_ROOT: '/elsewhere' })).toBe(
        '/elsewhere',
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
