import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Answer, notFound } from './answers.js';
import { matchesRegistryFilter, parseRegistryFilter, sortBy } from './registry-filter.js';
import type { RegistryRequest } from './replay-registry.js';
import {
  badTagKey,
  canonicalStage,
  invalid,
  missing,
  page,
  pageOffset,
  pageSize,
  type ReplayModelVersion,
  type ReplayRegisteredModel,
  wireVersion,
} from './replay-registry-wire.js';
import type { ReplayRun } from './replay-run.js';

/** What the version routes work on. */
interface VersionState {
  models: Map<string, ReplayRegisteredModel>;
  runs: Map<string, ReplayRun>;
  now: () => number;
}

/** The SQL server's 404 for a version (also when the model is unknown). */
export function versionNotFound(name: string, version: string): Answer {
  return notFound(`Model Version (name=${name}, version=${version}) not found`);
}

/** `model-versions/*` of the replay server, as a SQL-backed 2.17.2 server answers them. */
export function answerVersionRoute(
  route: string,
  request: RegistryRequest,
  state: VersionState,
): Answer {
  if (route === 'GET model-versions/search') return searchVersions(request, state);
  const name = request.field('name');
  if (typeof name !== 'string' || name === '') return missing('name');
  if (route === 'POST model-versions/create') return createVersion(name, request.body, state);
  const version = request.field('version');
  if (typeof version !== 'string' || version === '') return missing('version');
  if (!/^\s*[+-]?\d+\s*$/.test(version))
    return invalid(`Model version must be an integer, got '${version}'`);
  const model = state.models.get(name);
  const found = model?.versions.get(Number(version));
  if (!model || !found || found.deleted) return versionNotFound(name, version);
  return versionRoute(route, { model, version: found, request, now: state.now() });
}

function versionRoute(
  route: string,
  {
    model,
    version,
    request,
    now,
  }: {
    model: ReplayRegisteredModel;
    version: ReplayModelVersion;
    request: RegistryRequest;
    now: number;
  },
): Answer {
  const { body } = request;
  switch (route) {
    case 'GET model-versions/get':
      return { json: { model_version: wireVersion(version, model) } };
    case 'GET model-versions/get-download-uri':
      return { json: { artifact_uri: version.source } };
    case 'PATCH model-versions/update':
      version.description = typeof body.description === 'string' ? body.description : '';
      version.last_updated_timestamp = now;
      return { json: { model_version: wireVersion(version, model) } };
    case 'DELETE model-versions/delete':
      version.deleted = true;
      version.last_updated_timestamp = now;
      model.last_updated_timestamp = now;
      for (const [alias, number] of model.aliases)
        if (number === String(version.version)) model.aliases.delete(alias);
      return { json: {} };
    case 'POST model-versions/set-tag': {
      const refused = badTagKey(body.key);
      if (!refused) version.tags.set(String(body.key), String(body.value));
      return refused ?? { json: {} };
    }
    case 'DELETE model-versions/delete-tag':
      version.tags.delete(String(body.key));
      return { json: {} };
    case 'POST model-versions/transition-stage':
      return transition(model, version, body, now);
    default:
      return notFound(`no replay route ${route}`);
  }
}

function transition(
  model: ReplayRegisteredModel,
  version: ReplayModelVersion,
  body: Record<string, unknown>,
  now: number,
): Answer {
  const stage = canonicalStage(body.stage);
  if (typeof stage !== 'string') return stage;
  if (body.archive_existing_versions === true) {
    for (const other of model.versions.values()) {
      if (other === version || other.deleted || other.current_stage !== stage) continue;
      other.current_stage = 'Archived';
      other.last_updated_timestamp = now;
    }
  }
  version.current_stage = stage;
  version.last_updated_timestamp = now;
  model.last_updated_timestamp = now;
  return { json: { model_version: wireVersion(version, model) } };
}

function createVersion(name: string, body: Record<string, unknown>, state: VersionState): Answer {
  const source = body.source;
  if (typeof source !== 'string' || source === '') return missing('source');
  const runId = typeof body.run_id === 'string' && body.run_id !== '' ? body.run_id : undefined;
  const refused = badSource(source, runId, state.runs);
  if (refused) return refused;
  const model = state.models.get(name);
  if (!model) return notFound(`Registered Model with name=${name} not found`);
  const tags = new Map<string, string>();
  for (const tag of (body.tags ?? []) as { key: string; value: string }[]) {
    const bad = badTagKey(tag.key);
    if (bad) return bad;
    tags.set(tag.key, String(tag.value));
  }
  const now = state.now();
  const number = Math.max(0, ...model.versions.keys()) + 1;
  const version: ReplayModelVersion = {
    name,
    version: number,
    creation_timestamp: now,
    last_updated_timestamp: now,
    current_stage: 'None',
    description: typeof body.description === 'string' ? body.description : '',
    source,
    ...(runId ? { run_id: runId } : {}),
    run_link: typeof body.run_link === 'string' ? body.run_link : '',
    tags,
    deleted: false,
  };
  model.versions.set(number, version);
  model.last_updated_timestamp = now;
  return { json: { model_version: wireVersion(version, model) } };
}

/** The server's source check: a local path only inside its run's local artifacts, no `..` anywhere. */
function badSource(source: string, runId: string | undefined, runs: Map<string, ReplayRun>) {
  const local = !/^[a-zA-Z][\w+.-]*:/.test(source) || source.startsWith('file:');
  if (local) {
    const path = resolve(source.startsWith('file:') ? fileURLToPath(source) : source);
    const root = String(runs.get(runId ?? '')?.info.artifact_uri ?? '');
    if (runId && root.startsWith('/')) {
      const inside = relative(resolve(root), path);
      if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) return undefined;
    }
    return invalid(
      `Invalid model version source: '${runId ? path : source}'. To use a local path as a model version source, the run_id request parameter has to be specified and the local path has to be contained within the artifact directory of the run specified by the run_id.`,
    );
  }
  if (
    !decodeURIComponent(source)
      .split('/')
      .some((part) => part === '..' || part === '.')
  )
    return undefined;
  return invalid(
    `Invalid model version source: '${source}'. If supplying a source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references present. Please provide an absolute path.`,
  );
}

function searchVersions(request: RegistryRequest, state: VersionState): Answer {
  const size = pageSize(request.query.max_results?.[0], 200_000, 200_000);
  if (typeof size !== 'number') return size;
  const filter = request.query.filter?.[0] ?? '';
  const clauses = parseRegistryFilter(filter);
  if (!clauses) return invalid(`Invalid clause(s) in filter string: ${filter}`);
  const offset = pageOffset(request.query.page_token?.[0]);
  if (typeof offset !== 'number') return offset;
  const all = [...state.models.values()].flatMap((model) =>
    [...model.versions.values()]
      .filter((version) => !version.deleted)
      .map((version) => ({ model, version })),
  );
  const matched = all.filter(({ version }) =>
    matchesRegistryFilter(
      {
        name: version.name,
        run_id: version.run_id,
        version_number: version.version,
        source_path: version.source,
      },
      version.tags,
      clauses,
    ),
  );
  const orderBy = request.query.order_by ?? ['last_updated_timestamp DESC'];
  const sorted = sortBy(
    matched,
    orderBy,
    ['name ASC', 'version_number DESC'],
    ({ version }, key) =>
      key === 'version_number'
        ? version.version
        : ((version as unknown as Record<string, string | number>)[key] ?? ''),
  );
  const { items, token } = page(sorted, offset, size);
  return {
    json: {
      ...(items.length > 0
        ? { model_versions: items.map(({ model, version }) => wireVersion(version, model)) }
        : {}),
      ...(token ? { next_page_token: token } : {}),
    },
  };
}
