import { type Answer, errorAnswer, notFound } from './answers.js';
import { matchesRegistryFilter, parseRegistryFilter, sortBy } from './registry-filter.js';
import {
  badAlias,
  badTagKey,
  canonicalStage,
  invalid,
  missing,
  page,
  pageOffset,
  pageSize,
  type ReplayModelVersion,
  type ReplayRegisteredModel,
  wireModel,
  wireVersion,
} from './replay-registry-wire.js';
import type { ReplayRun } from './replay-run.js';
import { answerVersionRoute, versionNotFound } from './replay-versions.js';

/** What the registry routes read: the body (POST/PATCH/DELETE) or the query (GET). */
export interface RegistryRequest {
  body: Record<string, unknown>;
  query: Record<string, string[]>;
  /** `body[name]` for a write, the first query value for a GET. */
  field(name: string): unknown;
}

/**
 * The model registry of the replay server (SPEC §8), kept as a SQL-backed MLflow 2.17.2 server
 * keeps it and answered in the shapes of the recorded answers (`registry-sqlite-*`): registered
 * models with tags, aliases and latest versions, versions numbered per model, stages, searches
 * with filters, `order_by` and page tokens, and the recorded error answers and words.
 */
export class ReplayRegistry {
  /** Registered models, by name. */
  readonly models = new Map<string, ReplayRegisteredModel>();
  readonly #runs: Map<string, ReplayRun>;
  readonly #now: () => number;

  constructor(runs: Map<string, ReplayRun>, now: () => number = Date.now) {
    this.#runs = runs;
    this.#now = now;
  }

  /** The answer to `<METHOD> <endpoint>` below `/api/2.0/mlflow/`, or `undefined` (not a registry route). */
  answer(route: string, request: RegistryRequest): Answer | undefined {
    if (route.includes(' model-versions/'))
      return answerVersionRoute(route, request, {
        models: this.models,
        runs: this.#runs,
        now: this.#now,
      });
    if (!route.includes(' registered-models/')) return undefined;
    const name = request.field('name');
    if (route === 'GET registered-models/search') return this.#search(request);
    if (typeof name !== 'string' || name === '') return missing('name');
    if (route === 'POST registered-models/create') return this.#create(name, request.body);
    const model = this.models.get(name);
    if (route === 'POST registered-models/alias' && !model) {
      const version = String(request.field('version'));
      return badAlias(request.field('alias')) ?? versionNotFound(name, version);
    }
    if (!model) return notFound(`Registered Model with name=${name} not found`);
    return this.#modelRoute(route, model, request) ?? this.#aliasRoute(route, model, request);
  }

  #create(name: string, body: Record<string, unknown>): Answer {
    const now = this.#now();
    const description = typeof body.description === 'string' ? body.description : '';
    if (this.models.has(name)) {
      return errorAnswer(
        400,
        'RESOURCE_ALREADY_EXISTS',
        `Registered Model (name=${name}) already exists. Error: (sqlite3.IntegrityError) UNIQUE constraint failed: registered_models.name\n[SQL: INSERT INTO registered_models (name, creation_time, last_updated_time, description) VALUES (?, ?, ?, ?)]\n[parameters: ('${name}', ${now}, ${now}, '${description}')]\n(Background on this error at: https://sqlalche.me/e/14/gkpj)`,
      );
    }
    const tags = new Map<string, string>();
    for (const tag of (body.tags ?? []) as { key: string; value: string }[]) {
      const refused = badTagKey(tag.key);
      if (refused) return refused;
      tags.set(tag.key, String(tag.value));
    }
    const model: ReplayRegisteredModel = {
      name,
      creation_timestamp: now,
      last_updated_timestamp: now,
      description,
      tags,
      aliases: new Map(),
      versions: new Map(),
    };
    this.models.set(name, model);
    return { json: { registered_model: wireModel(model) } };
  }

  #modelRoute(
    route: string,
    model: ReplayRegisteredModel,
    request: RegistryRequest,
  ): Answer | undefined {
    const { body } = request;
    switch (route) {
      case 'GET registered-models/get':
        return { json: { registered_model: wireModel(model) } };
      case 'POST registered-models/rename':
        return this.#rename(model, body.new_name);
      case 'PATCH registered-models/update':
        model.description = typeof body.description === 'string' ? body.description : '';
        model.last_updated_timestamp = this.#now();
        return { json: { registered_model: wireModel(model) } };
      case 'DELETE registered-models/delete':
        this.models.delete(model.name);
        return { json: {} };
      case 'POST registered-models/set-tag': {
        const refused = badTagKey(body.key);
        if (!refused) model.tags.set(String(body.key), String(body.value));
        return refused ?? { json: {} };
      }
      case 'DELETE registered-models/delete-tag':
        model.tags.delete(String(body.key));
        return { json: {} };
      case 'POST registered-models/get-latest-versions':
        return this.#latest(model, body.stages);
      default:
        return undefined;
    }
  }

  #aliasRoute(route: string, model: ReplayRegisteredModel, request: RegistryRequest): Answer {
    const alias = request.field('alias');
    const refused = badAlias(alias);
    if (refused) return refused;
    const name = String(alias);
    switch (route) {
      case 'POST registered-models/alias': {
        const version = String(request.field('version'));
        if (!/^\s*[+-]?\d+\s*$/.test(version))
          return invalid(`Model version must be an integer, got '${version}'`);
        const target = model.versions.get(Number(version));
        if (!target || target.deleted) return versionNotFound(model.name, version);
        model.aliases.set(name, String(target.version));
        return { json: {} };
      }
      case 'DELETE registered-models/alias':
        model.aliases.delete(name);
        return { json: {} };
      case 'GET registered-models/alias': {
        const version = model.aliases.get(name);
        const target = version === undefined ? undefined : model.versions.get(Number(version));
        if (!target) return invalid(`Registered model alias ${name} not found.`);
        return { json: { model_version: wireVersion(target, model) } };
      }
      default:
        return errorAnswer(404, 'ENDPOINT_NOT_FOUND', `no replay route ${route}`);
    }
  }

  #rename(model: ReplayRegisteredModel, newName: unknown): Answer {
    if (typeof newName !== 'string' || newName === '') return missing('new_name');
    if (this.models.has(newName)) {
      return errorAnswer(
        400,
        'RESOURCE_ALREADY_EXISTS',
        `Registered Model (name=${newName}) already exists. Error: (raised as a result of Query-invoked autoflush; consider using a session.no_autoflush block if this flush is occurring prematurely)\n(sqlite3.IntegrityError) UNIQUE constraint failed: registered_models.name\n[SQL: UPDATE registered_models SET name=? WHERE registered_models.name = ?]\n[parameters: ('${newName}', '${model.name}')]\n(Background on this error at: https://sqlalche.me/e/14/gkpj)`,
      );
    }
    this.models.delete(model.name);
    model.name = newName;
    model.last_updated_timestamp = this.#now();
    for (const version of model.versions.values()) version.name = newName;
    this.models.set(newName, model);
    return { json: { registered_model: wireModel(model) } };
  }

  /** The newest version per stage, in the SQL server's order (stages as they first appear). */
  #latest(model: ReplayRegisteredModel, stages: unknown): Answer {
    const wanted: string[] = [];
    for (const stage of Array.isArray(stages) && stages.length > 0 ? stages : []) {
      const canonical = canonicalStage(stage);
      if (typeof canonical !== 'string') return canonical;
      wanted.push(canonical);
    }
    const latest = new Map<string, ReplayModelVersion>();
    for (const version of [...model.versions.values()].sort((a, b) => a.version - b.version)) {
      if (version.deleted) continue;
      const known = latest.get(version.current_stage);
      if (!known || known.version < version.version) latest.set(version.current_stage, version);
    }
    const chosen = [...latest.values()].filter(
      (version) => wanted.length === 0 || wanted.includes(version.current_stage),
    );
    // The SQL server answers these without their aliases (seq 102, 137).
    return {
      json: { model_versions: chosen.map((version) => wireVersion(version, model, false)) },
    };
  }

  #search(request: RegistryRequest): Answer {
    const size = pageSize(request.query.max_results?.[0], 100, 1000);
    if (typeof size !== 'number') return size;
    const filter = request.query.filter?.[0] ?? '';
    const clauses = parseRegistryFilter(filter);
    if (!clauses) return invalid(`Invalid clause(s) in filter string: ${filter}`);
    const offset = pageOffset(request.query.page_token?.[0]);
    if (typeof offset !== 'number') return offset;
    const matched = [...this.models.values()].filter((model) =>
      matchesRegistryFilter({ name: model.name }, model.tags, clauses),
    );
    const sorted = sortBy(matched, request.query.order_by ?? [], ['name ASC'], (model, key) => {
      const value = (model as unknown as Record<string, unknown>)[key];
      return typeof value === 'number' ? value : String(value ?? '');
    });
    const { items, token } = page(sorted, offset, size);
    return {
      json: {
        ...(items.length > 0 ? { registered_models: items.map(wireModel) } : {}),
        ...(token ? { next_page_token: token } : {}),
      },
    };
  }
}
