import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Exchange, loadExchanges, MLFLOW_GOLDEN_DIR } from '@heart/test-support';
import { MlflowError } from '../../errors.js';
import type { ModelRegistry } from '../model-registry.js';

/** One Python call of the registry recording (`golden/registry/calls.json`). */
export interface RecordedCall {
  scenario: string;
  call: string;
  seqs: number[];
  error: string | null;
  result: string | null;
}

export const CALLS: readonly RecordedCall[] = JSON.parse(
  readFileSync(join(MLFLOW_GOLDEN_DIR, 'registry', 'calls.json'), 'utf8'),
) as RecordedCall[];

const EXCHANGES: readonly Exchange[] = loadExchanges('registry');

/** The recorded exchange of a seq. */
export function exchange(seq: number): Exchange {
  return EXCHANGES.find((item) => item.seq === seq)!;
}

/** What a call of the sequence needs: the registry and the two runs of the setup. */
export interface CallContext {
  registry: ModelRegistry;
  r1: string;
  r2: string;
  /** Run 1's `artifact_uri`. */
  art1: string;
  /** A fresh cache folder (Python downloads into a fresh folder each time). */
  cacheDir(): Promise<string>;
}

const NAME = 'heart-classifier';

/** The file names of the recorded model folder (Python's `download_artifacts` result less `registered_model_meta`). */
export const MODEL_FILES = [
  'MLmodel',
  'conda.yaml',
  'input_example.json',
  'model.pkl',
  'python_env.yaml',
  'requirements.txt',
  'serving_input_example.json',
];

type Step = (context: CallContext) => Promise<unknown>;

const download =
  (uri: string): Step =>
  async ({ registry, cacheDir }) =>
    registry.downloadModel(uri, { cacheDir: await cacheDir() });

/**
 * Each Python call of `reg_driver.py` (by its `calls.json` description) as the heart call that does
 * the same; hand-built requests (`RAW …`) as the heart call that sends that request, where there is
 * one. The UI route `/model-versions/get-artifact` has none (heart never uses it).
 */
const HEART_CALLS: Readonly<Record<string, Step>> = {
  'create_registered_model(NAME, tags, description)': ({ registry }) =>
    registry.createRegisteredModel(NAME, {
      tags: { team: 'heart', stage: 'dev' },
      description: 'LogReg on x1..x3',
    }),
  'create_registered_model(NAME) duplicate': ({ registry }) => registry.createRegisteredModel(NAME),
  'get_registered_model(NAME)': ({ registry }) => registry.getRegisteredModel(NAME),
  "create_registered_model('tmp-model')": ({ registry }) =>
    registry.createRegisteredModel('tmp-model'),
  "rename_registered_model('tmp-model','tmp-model-renamed')": ({ registry }) =>
    registry.renameRegisteredModel('tmp-model', 'tmp-model-renamed'),
  "get_registered_model('tmp-model') after rename": ({ registry }) =>
    registry.getRegisteredModel('tmp-model'),
  'update_registered_model(NAME, description)': ({ registry }) =>
    registry.updateRegisteredModel(NAME, { description: 'updated description' }),
  "set_registered_model_tag(NAME,'owner','ml-team')": ({ registry }) =>
    registry.setRegisteredModelTag(NAME, 'owner', 'ml-team'),
  "delete_registered_model_tag(NAME,'stage')": ({ registry }) =>
    registry.deleteRegisteredModelTag(NAME, 'stage'),
  'search_registered_models()': ({ registry }) => registry.searchRegisteredModels(),
  "search_registered_models(filter name LIKE 'heart%')": ({ registry }) =>
    registry.searchRegisteredModels({ filter: "name LIKE 'heart%'" }),
  "search_registered_models(filter tags.owner = 'ml-team')": ({ registry }) =>
    registry.searchRegisteredModels({ filter: "tags.owner = 'ml-team'" }),
  "search_registered_models(max_results=1, order_by=['name DESC'])": ({ registry }) =>
    registry.searchRegisteredModels({ maxResults: 1, orderBy: ['name DESC'] }),
  "search_registered_models(max_results=1, order_by=['name DESC'], page_token)": ({ registry }) =>
    registry.searchRegisteredModels({
      maxResults: 1,
      orderBy: ['name DESC'],
      pageToken: 'eyJvZmZzZXQiOiAxfQ==',
    }),
  "search_registered_models(filter 'bogus filter')": ({ registry }) =>
    registry.searchRegisteredModels({ filter: 'bogus filter' }),
  "delete_registered_model('tmp-model-renamed')": ({ registry }) =>
    registry.deleteRegisteredModel('tmp-model-renamed'),
  "create_model_version(NAME, source='runs:/r1/model', run_id=r1)": ({ registry, r1 }) =>
    registry.createModelVersion({
      name: NAME,
      source: `runs:/${r1}/model`,
      runId: r1,
      tags: { src: 'runs-uri' },
      description: 'v1 from runs:/',
    }),
  'create_model_version(NAME, source=<artifact_uri>/model, run_id=r1)': ({ registry, r1, art1 }) =>
    registry.createModelVersion({
      name: NAME,
      source: `${art1}/model`,
      runId: r1,
      tags: { src: 'artifact-path' },
    }),
  "mlflow.register_model('runs:/r2/model', NAME)": ({ registry, r2 }) =>
    registry.registerModel(`runs:/${r2}/model`, NAME, { tags: { src: 'register_model' } }),
  "mlflow.register_model('runs:/r1/model', 'heart-new-model') (model created on the fly)": ({
    registry,
    r1,
  }) => registry.registerModel(`runs:/${r1}/model`, 'heart-new-model'),
  "get_model_version(NAME,'1')": ({ registry }) => registry.getModelVersion(NAME, '1'),
  "get_model_version_download_uri(NAME,'1')": ({ registry }) =>
    registry.getModelVersionDownloadUri(NAME, '1'),
  "get_model_version_download_uri(NAME,'2')": ({ registry }) =>
    registry.getModelVersionDownloadUri(NAME, '2'),
  "get_model_version_download_uri(NAME,'3')": ({ registry }) =>
    registry.getModelVersionDownloadUri(NAME, '3'),
  'search_model_versions("name=\'NAME\'")': ({ registry }) =>
    registry.searchModelVersions({ filter: `name='${NAME}'` }),
  'search_model_versions(run_id=r1)': ({ registry, r1 }) =>
    registry.searchModelVersions({ filter: `run_id='${r1}'` }),
  "search_model_versions(tags.src='runs-uri')": ({ registry }) =>
    registry.searchModelVersions({ filter: "tags.src='runs-uri'" }),
  "search_model_versions(name, max_results=1, order_by=['version_number DESC'])": ({ registry }) =>
    registry.searchModelVersions({
      filter: `name='${NAME}'`,
      maxResults: 1,
      orderBy: ['version_number DESC'],
    }),
  'search_model_versions(..., page_token)': ({ registry }) =>
    registry.searchModelVersions({
      filter: `name='${NAME}'`,
      maxResults: 1,
      orderBy: ['version_number DESC'],
      pageToken: 'eyJvZmZzZXQiOiAxfQ==',
    }),
  "search_model_versions('version_number > 1')": ({ registry }) =>
    registry.searchModelVersions({ filter: `name='${NAME}' AND version_number > 1` }),
  "search_model_versions('bogus')": ({ registry }) =>
    registry.searchModelVersions({ filter: 'bogus' }),
  'get_latest_versions(NAME)': ({ registry }) => registry.getLatestVersions(NAME),
  "update_model_version(NAME,'1',description)": ({ registry }) =>
    registry.updateModelVersion(NAME, '1', { description: 'v1 updated' }),
  "set_model_version_tag(NAME,'1','validated','true')": ({ registry }) =>
    registry.setModelVersionTag(NAME, '1', 'validated', 'true'),
  "delete_model_version_tag(NAME,'1','src')": ({ registry }) =>
    registry.deleteModelVersionTag(NAME, '1', 'src'),
  "set_registered_model_alias(NAME,'champion','1')": ({ registry }) =>
    registry.setRegisteredModelAlias(NAME, 'champion', '1'),
  "set_registered_model_alias(NAME,'challenger','3')": ({ registry }) =>
    registry.setRegisteredModelAlias(NAME, 'challenger', '3'),
  "set_registered_model_alias(NAME,'champion','2') (move)": ({ registry }) =>
    registry.setRegisteredModelAlias(NAME, 'champion', '2'),
  "get_model_version_by_alias(NAME,'champion')": ({ registry }) =>
    registry.getModelVersionByAlias(NAME, 'champion'),
  'get_registered_model(NAME) with aliases': ({ registry }) => registry.getRegisteredModel(NAME),
  "get_model_version(NAME,'2') with aliases": ({ registry }) => registry.getModelVersion(NAME, '2'),
  "delete_registered_model_alias(NAME,'challenger')": ({ registry }) =>
    registry.deleteRegisteredModelAlias(NAME, 'challenger'),
  "get_model_version_by_alias(NAME,'challenger') deleted": ({ registry }) =>
    registry.getModelVersionByAlias(NAME, 'challenger'),
  "transition_model_version_stage(NAME,'1','Staging')": ({ registry }) =>
    registry.transitionModelVersionStage(NAME, '1', 'Staging'),
  "transition_model_version_stage(NAME,'2','Production')": ({ registry }) =>
    registry.transitionModelVersionStage(NAME, '2', 'Production'),
  "transition_model_version_stage(NAME,'3','production', archive_existing_versions=True)": ({
    registry,
  }) =>
    registry.transitionModelVersionStage(NAME, '3', 'production', {
      archiveExistingVersions: true,
    }),
  "get_latest_versions(NAME, stages=['Production'])": ({ registry }) =>
    registry.getLatestVersions(NAME, ['Production']),
  "transition_model_version_stage(NAME,'1','Bogus')": ({ registry }) =>
    registry.transitionModelVersionStage(NAME, '1', 'Bogus'),
  "download_artifacts('models:/NAME/1')": download(`models:/${NAME}/1`),
  "download_artifacts('models:/NAME@champion')": download(`models:/${NAME}@champion`),
  "download_artifacts('models:/NAME/Production')": download(`models:/${NAME}/Production`),
  "download_artifacts('models:/NAME/latest')": download(`models:/${NAME}/latest`),
  "download_artifacts('models:/NAME/2')  (source = artifact path)": download(`models:/${NAME}/2`),
  "pyfunc.load_model('models:/NAME@champion').predict": download(`models:/${NAME}@champion`),
  "download_artifacts('models:/NAME@nosuchalias')": download(`models:/${NAME}@nosuchalias`),
  "download_artifacts('models:/NAME/99')": download(`models:/${NAME}/99`),
  "get_registered_model('no-such-model')": ({ registry }) =>
    registry.getRegisteredModel('no-such-model'),
  "get_model_version(NAME,'99')": ({ registry }) => registry.getModelVersion(NAME, '99'),
  "create_model_version('no-such-model', runs:/r1/model)": ({ registry, r1 }) =>
    registry.createModelVersion({
      name: 'no-such-model',
      source: `runs:/${r1}/model`,
      runId: r1,
    }),
  "create_model_version(NAME, '/etc', run_id=r1) (local path outside run)": ({ registry, r1 }) =>
    registry.createModelVersion({ name: NAME, source: '/etc', runId: r1 }),
  "create_model_version(NAME, 'runs:/r1/../../etc')": ({ registry, r1 }) =>
    registry.createModelVersion({ name: NAME, source: `runs:/${r1}/../../etc`, runId: r1 }),
  "set_registered_model_alias(NAME,'champion','99') missing version": ({ registry }) =>
    registry.setRegisteredModelAlias(NAME, 'champion', '99'),
  "set_registered_model_alias('no-such-model','a','1')": ({ registry }) =>
    registry.setRegisteredModelAlias('no-such-model', 'a', '1'),
  "set_registered_model_alias(NAME,'bad alias!','1') (client-side check)": ({ registry }) =>
    registry.setRegisteredModelAlias(NAME, 'bad alias!', '1'),
  "set_registered_model_alias(NAME,'latest','1') (client-side check)": ({ registry }) =>
    registry.setRegisteredModelAlias(NAME, 'latest', '1'),
  "get_model_version_by_alias(NAME,'nosuch')": ({ registry }) =>
    registry.getModelVersionByAlias(NAME, 'nosuch'),
  "delete_registered_model_alias(NAME,'nosuch')": ({ registry }) =>
    registry.deleteRegisteredModelAlias(NAME, 'nosuch'),
  "create_registered_model('') (client-side?)": ({ registry }) =>
    registry.createRegisteredModel(''),
  "create_registered_model('a/b')": ({ registry }) => registry.createRegisteredModel('a/b'),
  "create_registered_model('pct%model')": ({ registry }) =>
    registry.createRegisteredModel('pct%model'),
  "rename_registered_model(NAME,'heart-new-model') to existing": ({ registry }) =>
    registry.renameRegisteredModel(NAME, 'heart-new-model'),
  "delete_registered_model('no-such-model')": ({ registry }) =>
    registry.deleteRegisteredModel('no-such-model'),
  "delete_model_version(NAME,'99')": ({ registry }) => registry.deleteModelVersion(NAME, '99'),
  "update_model_version(NAME,'99',description)": ({ registry }) =>
    registry.updateModelVersion(NAME, '99', { description: 'x' }),
  "set_model_version_tag(NAME,'1','bad key!','v')": ({ registry }) =>
    registry.setModelVersionTag(NAME, '1', 'bad key!', 'v'),
  "get_model_version(NAME,'abc')": ({ registry }) => registry.getModelVersion(NAME, 'abc'),
  'RAW POST registered-models/alias bad alias name': ({ registry }) =>
    registry.setRegisteredModelAlias(NAME, 'bad alias!', '1'),
  "RAW POST registered-models/alias 'latest'": ({ registry }) =>
    registry.setRegisteredModelAlias(NAME, 'latest', '1'),
  "RAW POST registered-models/alias 'v1'": ({ registry }) =>
    registry.setRegisteredModelAlias(NAME, 'v1', '1'),
  'RAW POST registered-models/alias missing version 99': ({ registry }) =>
    registry.setRegisteredModelAlias(NAME, 'champion', '99'),
  "RAW POST registered-models/alias version 'abc'": ({ registry }) =>
    registry.setRegisteredModelAlias(NAME, 'champion', 'abc'),
  'RAW POST registered-models/create {}': ({ registry }) =>
    registry.createRegisteredModel(undefined as unknown as string),
  "RAW POST registered-models/create name ''": ({ registry }) => registry.createRegisteredModel(''),
  'RAW GET registered-models/alias unknown alias': ({ registry }) =>
    registry.getModelVersionByAlias(NAME, 'nosuch'),
  'RAW GET registered-models/get no name': ({ registry }) => registry.getRegisteredModel(''),
  'RAW POST model-versions/create no source': ({ registry }) =>
    registry.createModelVersion({ name: NAME, source: '' }),
  'RAW POST model-versions/transition-stage bogus stage': ({ registry }) =>
    registry.transitionModelVersionStage(NAME, '1', 'Bogus'),
  'RAW GET model-versions/get-download-uri missing': ({ registry }) =>
    registry.getModelVersionDownloadUri(NAME, '99'),
  'RAW GET registered-models/search max_results=0': ({ registry }) =>
    registry.searchRegisteredModels({ maxResults: 0 }),
  'RAW GET registered-models/search max_results=1001': ({ registry }) =>
    registry.searchRegisteredModels({ maxResults: 1001 }),
  'RAW GET model-versions/search max_results=200001': ({ registry }) =>
    registry.searchModelVersions({ maxResults: 200_001 }),
  'RAW GET model-versions/search bad page_token': ({ registry }) =>
    registry.searchModelVersions({ pageToken: 'garbage' }),
  'RAW GET registered-models/get name=a/b': ({ registry }) => registry.getRegisteredModel('a/b'),
  "delete_model_version(NAME,'3')": ({ registry }) => registry.deleteModelVersion(NAME, '3'),
  'get_registered_model(NAME) after version delete': ({ registry }) =>
    registry.getRegisteredModel(NAME),
  "delete_registered_model('heart-new-model')": ({ registry }) =>
    registry.deleteRegisteredModel('heart-new-model'),
  'search_registered_models() final': ({ registry }) => registry.searchRegisteredModels(),
};

/** A call's outcome: its result, or the `MlflowError` it threw. */
export async function runCall(
  call: RecordedCall,
  context: CallContext,
): Promise<{ result?: unknown; error?: MlflowError } | undefined> {
  const step = HEART_CALLS[call.call];
  if (!step) return undefined;
  try {
    return { result: await step(context) };
  } catch (error) {
    if (error instanceof MlflowError) return { error };
    throw error;
  }
}

/**
 * The error a recorded call ended with: the last non-200 JSON answer of its seqs, or the Python
 * client's own error (no request sent); `undefined` for a call that succeeded.
 */
export function recordedError(
  call: RecordedCall,
): { code?: string; status?: number; message: string } | undefined {
  // A Python call that succeeded may have ignored an error answer (register_model's create).
  if (!call.error && !call.call.startsWith('RAW ')) return undefined;
  const failed = call.seqs.map(exchange).filter((item) => item.status !== 200);
  const last = failed.at(-1);
  if (last && last.response_body.kind === 'json') {
    const json = last.response_body.json as { error_code: string; message: string };
    return { code: json.error_code, status: last.status, message: json.message };
  }
  if (call.seqs.length === 0 && call.error)
    return { message: call.error.replace(/^MlflowException: /, '') };
  return undefined;
}
