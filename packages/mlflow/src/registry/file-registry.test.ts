import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createManualClock, listFiles, tempDir } from '@heart/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore } from '../file-store/file-store.js';
import { parseYaml } from '../internal/yaml.js';
import { createTrackingClient } from '../tracking-client.js';
import { ModelRegistry } from './model-registry.js';

let dir: { path: string; cleanup: () => Promise<void> };
let root: string;
beforeEach(async () => {
  dir = await tempDir('heart-file-registry-');
  root = join(dir.path, 'mlruns');
});
afterEach(async () => {
  await dir.cleanup();
});

/** A registry on `root` whose clock moves one millisecond per write. */
function registry(start = 1_800_000_000_000) {
  const clock = createManualClock(start);
  const now = () => {
    clock.advance(1);
    return clock.now();
  };
  return new ModelRegistry(new FileStore(root, { now }), {});
}

async function meta(path: string): Promise<Record<string, unknown>> {
  return parseYaml(await readFile(join(root, 'models', path, 'meta.yaml'), 'utf8')) as Record<
    string,
    unknown
  >;
}

describe('the file-store registry', () => {
  it('renames a model whole: tags and aliases move, every meta.yaml names it anew', async () => {
    const models = registry();
    await models.createRegisteredModel('old', { tags: { team: 'heart' }, description: 'd' });
    await models.createModelVersion({ name: 'old', source: 's3://bucket/a', tags: { k: 'v' } });
    await models.createModelVersion({ name: 'old', source: 's3://bucket/b' });
    await models.setRegisteredModelAlias('old', 'champion', 2);
    const renamed = await models.renameRegisteredModel('old', 'new');
    expect(renamed).toMatchObject({
      name: 'new',
      description: 'd',
      tags: { team: 'heart' },
      aliases: { champion: '2' },
    });
    expect(await listFiles(join(root, 'models'))).toEqual([
      'new/aliases/champion',
      'new/meta.yaml',
      'new/tags/team',
      'new/version-1/meta.yaml',
      'new/version-1/tags/k',
      'new/version-2/meta.yaml',
    ]);
    for (const path of ['new', 'new/version-1', 'new/version-2'])
      expect((await meta(path)).name, path).toBe('new');
    expect((await meta('new/version-2')).aliases).toEqual(['champion']);
    await expect(models.getRegisteredModel('old')).rejects.toMatchObject({ status: 404 });
    await expect(models.renameRegisteredModel('new', 'new')).rejects.toMatchObject({
      code: 'RESOURCE_ALREADY_EXISTS',
    });
    expect(await readdir(join(root, '.trash'))).toEqual([]);
  });

  it('keeps a deleted version as Deleted_Internal, drops its aliases, never reuses its number', async () => {
    const models = registry();
    await models.createRegisteredModel('m');
    for (const source of ['s3://b/1', 's3://b/2'])
      await models.createModelVersion({ name: 'm', source });
    await models.setRegisteredModelAlias('m', 'champion', '2');
    await models.deleteModelVersion('m', '2');
    expect((await meta('m/version-2')).current_stage).toBe('Deleted_Internal');
    expect((await models.getRegisteredModel('m')).aliases).toEqual({});
    await expect(models.getModelVersionByAlias('m', 'champion')).rejects.toMatchObject({
      status: 400,
    });
    await expect(models.getModelVersionDownloadUri('m', '2')).rejects.toMatchObject({
      status: 404,
    });
    expect((await models.createModelVersion({ name: 'm', source: 's3://b/3' })).version).toBe('3');
    expect(
      (await models.searchModelVersions()).modelVersions.map((version) => version.version),
    ).toEqual(['3', '1']);
    await models.deleteRegisteredModel('m');
    expect(await readdir(join(root, 'models'))).toEqual([]);
  });

  it('gives two writers creating versions at once distinct numbers, every folder complete', async () => {
    const first = registry();
    const second = registry();
    await first.createRegisteredModel('shared');
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 === 0 ? first : second).createModelVersion({
          name: 'shared',
          source: `s3://b/${i}`,
        }),
      ),
    );
    const numbers = created.map((version) => Number(version.version)).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const folders = (await readdir(join(root, 'models', 'shared'))).sort();
    expect(folders.filter((name) => !name.startsWith('version-'))).toEqual(['meta.yaml']);
    for (const version of created) {
      const stored = await meta(`shared/version-${version.version}`);
      expect(stored.source).toBe(version.source);
    }
  });

  it('sweeps staging folders a killed writer left, not one another writer is using', async () => {
    for (const name of ['heart-tmp-killed', 'heart-tmp-in-use']) {
      await mkdir(join(root, '.trash', name, 'tags'), { recursive: true });
      await writeFile(join(root, '.trash', name, 'tags', 'k'), 'v');
    }
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    await utimes(join(root, '.trash', 'heart-tmp-killed'), twoHoursAgo, twoHoursAgo);
    await registry().createRegisteredModel('m');
    expect(await readdir(join(root, '.trash'))).toEqual(['heart-tmp-in-use']);
  });

  it('refuses what the file-store server refuses, with its words', async () => {
    const models = registry();
    await expect(models.createRegisteredModel('a/b')).rejects.toMatchObject({
      status: 400,
      message: "Invalid name: 'a/b'. Registered model name cannot contain path separator",
    });
    await expect(models.createRegisteredModel('..')).rejects.toMatchObject({ status: 400 });
    await models.createRegisteredModel('m');
    await expect(
      models.createModelVersion({ name: 'm', source: join(dir.path, 'elsewhere') }),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('the run_id request parameter has to be specified'),
    });
    await expect(
      models.transitionModelVersionStage('m', '1', 'Archived', { archiveExistingVersions: true }),
    ).rejects.toMatchObject({ code: 'INTERNAL_ERROR', status: 500 });
    await expect(models.setModelVersionTag('m', '1', 'a/../b', 'v')).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
    });
    await expect(models.searchRegisteredModels({ orderBy: ['colour'] })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
    });
  });

  it("registers a run's model under its artifact location, which MLflow's client would", async () => {
    const client = createTrackingClient({ trackingUri: root, env: {} });
    const experiment = await client.setExperiment('e');
    const run = await client.startRun({ experimentId: experiment.experimentId });
    await run.logText('artifact_path: model\n', 'model/MLmodel');
    await run.end();
    const version = await client.registry.registerModel(`runs:/${run.runId}/model`, 'fresh', {
      tags: { origin: 'test' },
    });
    const { artifactUri } = (await client.getRun(run.runId)).info;
    expect(version).toMatchObject({
      name: 'fresh',
      version: '1',
      source: `${artifactUri}/model`,
      runId: run.runId,
      tags: { origin: 'test' },
      currentStage: 'None',
      status: 'READY',
    });
    // An existing model is fine: the next version.
    expect((await client.registry.registerModel(`runs:/${run.runId}/model`, 'fresh')).version).toBe(
      '2',
    );
  });
});
