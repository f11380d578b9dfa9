import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { copyGoldenTree, MLFLOW_GOLDEN_DIR, tempDir } from '@heart/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MlflowError } from './errors.js';
import { FileStore } from './file-store/file-store.js';
import { inspectFileStore } from './file-store/inspect-file-store.js';

/** What the real MLflow 2.17.2 server answered for each defective tree (golden/filestore_robustness.json). */
interface Recorded {
  variant: string;
  runs_search: {
    status: number;
    body: { run_ids?: string[]; run_names?: (string | null)[]; statuses?: string[] };
  };
  runs_get?: {
    status: number;
    body: {
      info?: { status: string; run_name?: string };
      metrics?: { key: string; value: number | string; step: number }[] | null;
      params?: { key: string; value: string }[] | null;
    };
  };
  experiments_search: { status: number; body: { experiment_ids?: string[] } };
}
const recorded = JSON.parse(
  await readFile(join(MLFLOW_GOLDEN_DIR, 'filestore_robustness.json'), 'utf8'),
) as Recorded[];

const EXPERIMENT = '271828182845904523';
const EXTRA_EXPERIMENT = '5550001';
const START = 1795719918632;
const END = 1795719919632;

/** A variant's run id, as recorded (or a fixed one when the record shows none). */
function variantRunId(record: Recorded): string {
  const ids = record.runs_search.body.run_ids ?? [];
  return (
    ids.find((id) => id !== 'a5a6ae6d4a2e3f5da2fc137d4a412154') ??
    'ffffffffffffffffffffffffffffffff'
  );
}

function runMeta(fields: Record<string, string | number | null>): string {
  return `${Object.entries(fields)
    .map(([key, value]) => `${key}: ${value === null ? 'null' : value}`)
    .join('\n')}\n`;
}

/** Builds one defective variant next to the good hand-written run, as SPEC §2.8 describes it. */
async function buildVariant(
  root: string,
  record: Recorded,
): Promise<{ runId: string; experimentId: string }> {
  const variant = record.variant;
  const experimentLevel = variant.startsWith('exp_');
  const experimentId =
    variant === 'exp_non_numeric_id' ? 'my-exp_1' : experimentLevel ? EXTRA_EXPERIMENT : EXPERIMENT;
  const runId = variantRunId(record);
  const experimentFolder = join(root, experimentId);
  const folder = join(experimentFolder, runId);
  const uri = (path: string) => pathToFileURL(path).href;
  if (variant === 'baseline' || variant === 'stray_file_and_reserved_dir') {
    const baselineRun = 'a5a6ae6d4a2e3f5da2fc137d4a412154';
    if (variant === 'stray_file_and_reserved_dir') {
      await writeFile(join(root, EXPERIMENT, 'notes.txt'), 'stray');
      await mkdir(join(root, EXPERIMENT, 'datasets'));
    }
    return { runId: baselineRun, experimentId };
  }
  if (experimentLevel) {
    await mkdir(experimentFolder, { recursive: true });
    const meta: Record<string, string | number | null> = {
      artifact_location: uri(experimentFolder),
      creation_time: START,
      experiment_id: `'${experimentId}'`,
      last_update_time: START,
      lifecycle_stage: 'active',
      name: `variant-${variant}`,
    };
    if (variant === 'exp_minimal_no_times') {
      delete meta.creation_time;
      delete meta.last_update_time;
    }
    if (variant === 'exp_no_artifact_location') delete meta.artifact_location;
    if (variant === 'exp_no_lifecycle_stage') delete meta.lifecycle_stage;
    if (variant === 'exp_id_unquoted_int') meta.experiment_id = experimentId;
    if (variant === 'exp_id_mismatch') meta.experiment_id = "'5550002'";
    if (variant === 'exp_empty_meta') await writeFile(join(experimentFolder, 'meta.yaml'), '');
    else if (variant !== 'exp_missing_meta')
      await writeFile(join(experimentFolder, 'meta.yaml'), runMeta(meta));
  }
  for (const sub of ['metrics', 'params', 'tags', 'artifacts'])
    await mkdir(join(folder, sub), { recursive: true });
  const meta: Record<string, string | number | null> = {
    artifact_uri: uri(join(folder, 'artifacts')),
    end_time: END,
    entry_point_name: "''",
    experiment_id: `'${experimentId}'`,
    lifecycle_stage: 'active',
    run_id: runId,
    run_name: 'variant',
    run_uuid: runId,
    source_name: "''",
    source_type: 4,
    source_version: "''",
    start_time: START,
    status: 3,
    tags: '[]',
    user_id: 'root',
  };
  let metric = `${END} 1.0 0\n`;
  let writeParam = !experimentLevel;
  switch (variant) {
    case 'minimal_required_only':
    case 'minimal_plus_runName_tag':
      for (const key of Object.keys(meta))
        if (!['run_uuid', 'experiment_id', 'user_id', 'start_time', 'end_time'].includes(key))
          delete meta[key];
      meta.start_time = END;
      meta.end_time = null;
      if (variant === 'minimal_plus_runName_tag')
        await writeFile(join(folder, 'tags', 'mlflow.runName'), 'from-tag');
      break;
    case 'no_legacy_fields':
      for (const key of [
        'entry_point_name',
        'source_name',
        'source_type',
        'source_version',
        'tags',
        'run_id',
      ])
        delete meta[key];
      break;
    case 'no_end_time_key':
      delete meta.end_time;
      break;
    case 'no_run_uuid_only_run_id':
      delete meta.run_uuid;
      break;
    case 'no_user_id':
      delete meta.user_id;
      break;
    case 'user_id_empty_string':
      meta.user_id = "''";
      break;
    case 'no_start_time':
      delete meta.start_time;
      break;
    case 'status_as_string':
      meta.status = 'FINISHED';
      break;
    case 'status_failed_4':
      meta.status = 4;
      break;
    case 'experiment_id_unquoted_int':
      meta.experiment_id = experimentId;
      break;
    case 'experiment_id_mismatch':
      meta.experiment_id = "'999'";
      break;
    case 'lifecycle_deleted':
      meta.lifecycle_stage = 'deleted';
      break;
    case 'no_artifact_uri':
      delete meta.artifact_uri;
      break;
    case 'dir_name_differs_from_run_uuid':
      meta.run_uuid = '0123456789abcdef0123456789abcdef';
      meta.run_id = '0123456789abcdef0123456789abcdef';
      break;
    case 'metric_two_fields':
      metric = '1795719876620 0.5\n';
      writeParam = false;
      break;
    case 'metric_nan_inf':
      metric = `${END} nan 0\n${END} inf 1\n${END} -inf 2\n`;
      writeParam = false;
      break;
    case 'metric_int_value':
      metric = `${END} 3 0\n`;
      writeParam = false;
      break;
    case 'metric_sci_notation':
      metric = `${END} 1e-05 0\n`;
      writeParam = false;
      break;
    case 'metric_no_trailing_newline':
      metric = `${END} 0.5 0`;
      writeParam = false;
      break;
    case 'metric_blank_line':
      metric = `${END} 1.0 0\n\n${END} 2.0 1\n`;
      break;
    case 'metric_garbage':
      metric = 'this is not a metric line\n';
      break;
    case 'metric_empty_file':
      metric = '';
      break;
    case 'metric_float_timestamp':
      metric = `${END}.0 1.0 0\n`;
      break;
    case 'param_tag_trailing_newline':
      metric = '';
      writeParam = false;
      await writeFile(join(folder, 'params', 'with_newline'), 'abc\n');
      await writeFile(join(folder, 'params', 'empty'), '');
      await writeFile(join(folder, 'tags', 't_newline'), 'x\n');
      break;
  }
  if (variant === 'param_tag_trailing_newline') {
    // no metric file at all
  } else {
    await writeFile(join(folder, 'metrics', 'm'), metric);
  }
  if (writeParam) await writeFile(join(folder, 'params', 'p'), 'v');
  if (variant === 'missing_meta_yaml') return { runId, experimentId };
  const fields = Object.entries(meta).map(
    ([key, value]) => `${key}: ${value === null ? 'null' : value}`,
  );
  const text = ['empty_meta_yaml', 'invalid_yaml', 'yaml_is_a_list'].includes(variant)
    ? {
        empty_meta_yaml: '',
        invalid_yaml: 'run_uuid: [unclosed\n  : : :\n',
        yaml_is_a_list: '- a\n- b\n',
      }[variant as 'invalid_yaml']
    : `${fields.join('\n')}\n`;
  await writeFile(join(folder, 'meta.yaml'), text);
  return { runId, experimentId };
}

let scratch: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  scratch = await tempDir();
});
afterAll(async () => {
  await scratch.cleanup();
});

describe.each(recorded)('robustness variant $variant (as MLflow 2.17.2 answered)', (record) => {
  it('is fatal exactly when MLflow failed the listing, and otherwise reads the same runs', async () => {
    const root = join(scratch.path, record.variant);
    await rm(root, { recursive: true, force: true });
    await copyGoldenTree('filestore-handwritten', root);
    const { runId, experimentId } = await buildVariant(root, record);
    const mlflowFailed =
      record.runs_search.status === 500 || record.experiments_search.status === 500;

    const report = await inspectFileStore(root);
    expect(report.readable, JSON.stringify(report.problems)).toBe(!mlflowFailed);

    const store = new FileStore(root);
    const search = store.searchRuns({ experimentIds: [experimentId] });
    if (record.runs_search.status === 500) {
      const error = await search.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(MlflowError);
      expect((error as MlflowError).code).toBe('CORRUPT_STORE');
      return;
    }
    const { runs } = await search;
    const expectedIds = record.runs_search.body.run_ids ?? [];
    expect(runs.map((run) => run.info.runId).sort()).toEqual([...expectedIds].sort());
    for (const run of runs) {
      const index = expectedIds.indexOf(run.info.runId);
      expect(run.info.status).toBe(record.runs_search.body.statuses![index]);
      expect(run.info.runName || null).toBe(record.runs_search.body.run_names![index]);
    }
    if (record.experiments_search.status === 500) {
      const listing = store.getExperimentByName('heart-disease-mlops');
      await expect(listing).rejects.toMatchObject({ code: 'CORRUPT_STORE' });
    }
    const get = record.runs_get;
    if (
      get &&
      get.status === 200 &&
      runId !== 'a5a6ae6d4a2e3f5da2fc137d4a412154' &&
      get.body.info
    ) {
      const run = await store.getRun(runId);
      expect(run.info.status).toBe(get.body.info.status);
      const toNumber = (value: number | string) =>
        typeof value === 'number' ? value : Number(value);
      expect(run.data.metrics.map((m) => [m.key, m.value, m.step])).toEqual(
        (get.body.metrics ?? []).map((m) => [m.key, toNumber(m.value), m.step]),
      );
      expect(run.data.params.map((p) => [p.key, p.value]).sort()).toEqual(
        (get.body.params ?? []).map((p) => [p.key, p.value]).sort(),
      );
    } else if (get && get.status >= 400 && record.runs_search.status === 200) {
      await expect(store.getRun(runId)).rejects.toBeInstanceOf(MlflowError);
    }
  });
});
