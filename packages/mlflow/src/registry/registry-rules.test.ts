import { describe, expect, it } from 'vitest';
import { validateModelSource } from './model-source.js';
import { appendToUriPath, parseModelUri } from './model-uri.js';
import { matchesRegistryFilter, parseRegistryFilter } from './registry-filter.js';
import { createPageToken, paginate, parsePageToken, sortRegistry } from './registry-paging.js';
import {
  assertAliasName,
  assertPageSize,
  assertVersionNumber,
  canonicalStage,
  posixNormpath,
  validateTagKey,
} from './registry-validation.js';

const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
};

describe('registry rules (MLflow 2.17.2)', () => {
  it('refuses alias names as the Python client does, before any request', () => {
    expect(message(() => assertAliasName('bad alias!'))).toBe(
      "Invalid alias name: 'bad alias!'. Names may only contain alphanumerics, underscores (_), and dashes (-).",
    );
    expect(message(() => assertAliasName('LaTeSt'))).toBe(
      "'latest' alias name (case insensitive) is reserved.",
    );
    expect(message(() => assertAliasName('v12'))).toBe("Version alias name 'v12' is reserved.");
    expect(message(() => assertAliasName('a'.repeat(256)))).toContain(
      'exceeded length limit of 255',
    );
    for (const ok of ['champion', 'v1x', 'été_2', 'a-b', 'a'.repeat(255)])
      expect(
        message(() => assertAliasName(ok)),
        ok,
      ).toBeUndefined();
  });

  it('reads versions, stages and tag keys as the server does', () => {
    expect(message(() => assertVersionNumber('abc'))).toBe(
      "Model version must be an integer, got 'abc'",
    );
    expect(message(() => assertVersionNumber(' 2'))).toBeUndefined();
    expect(canonicalStage('production')).toBe('Production');
    expect(canonicalStage('NONE')).toBe('None');
    expect(message(() => canonicalStage('Bogus'))).toBe(
      'Invalid Model Version stage: Bogus. Value must be one of None, Staging, Production, Archived.',
    );
    expect(message(() => validateTagKey('bad key!'))).toMatch(
      /^Invalid value "bad key!" for parameter 'key' supplied: Names may only contain/,
    );
    expect(message(() => validateTagKey('a//b'))).toContain("This name would resolve to 'a/b'");
    expect(posixNormpath('/a/./b/../c/')).toBe('/a/c');
    expect(posixNormpath('')).toBe('.');
  });

  it('limits page sizes with the words of the recorded answers', () => {
    expect(message(() => assertPageSize(0, 1000))).toBe(
      'Invalid value for max_results. It must be a positive integer, but got 0',
    );
    expect(message(() => assertPageSize(1001, 1000))).toBe(
      `Invalid value "1001" for parameter 'max_results' supplied:  Hint: Value was of type 'str'. See the API docs for more information about request parameters.`,
    );
    expect(assertPageSize(1000, 1000)).toBe(1000);
  });

  it("pages with Python's tokens", () => {
    expect(createPageToken(1)).toBe('eyJvZmZzZXQiOiAxfQ==');
    expect(parsePageToken('eyJvZmZzZXQiOiAyfQ==')).toBe(2);
    expect(message(() => parsePageToken('garbage'))).toBe(
      'Invalid page token, could not base64-decode',
    );
    expect(message(() => parsePageToken('eyJvZmZzZXQiOiAwfQ=='))).toBe(
      "Invalid page token, parsed value={'offset': 0}",
    );
    expect(message(() => parsePageToken(Buffer.from('nope').toString('base64')))).toBe(
      "Invalid page token, decoded value=b'nope'",
    );
    expect(paginate(['a', 'b', 'c'], 2, undefined)).toEqual({
      page: ['a', 'b'],
      nextPageToken: 'eyJvZmZzZXQiOiAyfQ==',
    });
    expect(paginate(['a', 'b', 'c'], 2, 'eyJvZmZzZXQiOiAyfQ==')).toEqual({ page: ['c'] });
  });

  it('filters and sorts as the file store does', () => {
    const entity = (name: string, version: number, tags: Record<string, string> = {}) => ({
      attributes: { name, version_number: version, run_id: `r${version}`, source_path: 's' },
      tags,
    });
    const items = [entity('heart', 1, { src: 'x' }), entity('heart', 2), entity('other', 3)];
    const pick = (filter: string) =>
      items
        .filter((item) =>
          matchesRegistryFilter(item, parseRegistryFilter(filter, 'model-versions')),
        )
        .map((item) => item.attributes.version_number);
    expect(pick("name='heart' AND version_number > 1")).toEqual([2]);
    expect(pick("name LIKE 'he%'")).toEqual([1, 2]);
    expect(pick("name ILIKE 'HEART'")).toEqual([1, 2]);
    expect(pick("tags.src = 'x'")).toEqual([1]);
    expect(pick("tags.`src` != 'y'")).toEqual([1]);
    expect(pick("run_id IN ('r1', 'r3')")).toEqual([1, 3]);
    expect(message(() => parseRegistryFilter('bogus filter', 'registered-models'))).toBe(
      'Invalid clause(s) in filter string: bogus filter',
    );
    expect(message(() => parseRegistryFilter("run_id = 'x'", 'registered-models'))).toContain(
      "Invalid attribute key 'run_id' specified",
    );
    for (const inherited of ['constructor', 'toString', '__proto__']) {
      expect(message(() => parseRegistryFilter(`${inherited} = 'x'`, 'model-versions'))).toContain(
        `Invalid attribute key '${inherited}' specified`,
      );
    }
    const sorted = sortRegistry(items, ['version_number DESC'], 'model-versions', (item, key) =>
      key in item.attributes ? item.attributes[key as 'name'] : '',
    );
    expect(sorted.map((item) => item.attributes.version_number)).toEqual([3, 2, 1]);
  });

  it('parses model URIs as MLflow does', () => {
    expect(parseModelUri('models:/heart/3')).toEqual({
      kind: 'version',
      name: 'heart',
      version: '3',
    });
    expect(parseModelUri('models:/heart@champion')).toEqual({
      kind: 'alias',
      name: 'heart',
      alias: 'champion',
    });
    expect(parseModelUri('models:/heart/Latest')).toEqual({ kind: 'latest', name: 'heart' });
    expect(parseModelUri('models:/heart/Staging')).toEqual({
      kind: 'stage',
      name: 'heart',
      stage: 'Staging',
    });
    expect(parseModelUri('runs:/abc/model/sub')).toEqual({
      kind: 'runs',
      runId: 'abc',
      path: 'model/sub',
    });
    for (const bad of ['models:/', 'models:/a/b/c', 'models:/heart@', 'models:/heart', 's3://x'])
      expect(() => parseModelUri(bad), bad).toThrow(/Not a proper/);
    expect(appendToUriPath('mlflow-artifacts:/1/r/artifacts/', '/model')).toBe(
      'mlflow-artifacts:/1/r/artifacts/model',
    );
  });

  it('checks a version source as the server does', async () => {
    const runs = async () => 'file:///data/mlruns/1/r/artifacts';
    await expect(
      validateModelSource('/data/mlruns/1/r/artifacts/model', 'r', runs),
    ).resolves.toBeUndefined();
    await expect(validateModelSource('/etc', 'r', runs)).rejects.toThrow(
      "Invalid model version source: '/etc'. To use a local path",
    );
    await expect(validateModelSource('runs:/r/../../etc', 'r', runs)).rejects.toThrow(
      'an absolute path must be provided without relative path references present',
    );
    await expect(validateModelSource('runs:/r/%2E%2E/x', 'r', runs)).rejects.toThrow(/relative/);
    await expect(
      validateModelSource('mlflow-artifacts:/1/r/artifacts/model', undefined, runs),
    ).resolves.toBeUndefined();
  });
});
