import { ownValue } from '@heart/internal';
import { MlflowError } from '../errors.js';
import { nextPage } from '../internal/next-page.js';
import type { RegistryStore, RegistryTag } from '../registry/registry-store.js';
import type { ModelVersion, RegisteredModel } from '../registry/registry-types.js';
import type { RunInfo } from '../types.js';
import type { SyncSource } from './sync-source.js';
import { isSyncTag, SYNC_TAGS } from './sync-tags.js';
import type { DestinationCopy, SyncTarget } from './sync-target.js';
import type { SyncModelEvent } from './sync-types.js';
import { createVersions, everyVersion, type VersionPlan } from './sync-versions.js';

/** What the registry sync needs from the run sync. */
export interface RegistryContext {
  source: SyncSource;
  target: SyncTarget;
  /** Source run id → its copy at the destination. */
  copies: ReadonlyMap<string, DestinationCopy>;
  /** Source run id → the run (its artifact URI) and its origin id. */
  sourceRuns: ReadonlyMap<string, RunInfo>;
  origins: ReadonlyMap<string, string>;
  report: (event: SyncModelEvent) => void;
}

/**
 * Copies every registered model of the source — tags, description, versions (tags, description,
 * stage, run link, the source pointing at the copy of its run), aliases. See {@link createVersions}
 * for how versions keep their numbers and arrive once each. A model one of whose versions comes
 * from a run that is not at the destination is left out, saying which.
 */
export async function syncRegistry(context: RegistryContext): Promise<void> {
  for (const model of await everyModel(context.source.registry)) {
    const event: SyncModelEvent = {
      kind: 'model',
      name: model.name,
      versionsCreated: 0,
      aliasesSet: 0,
    };
    try {
      await syncModel(context, model, event);
    } catch (error) {
      const code = error instanceof MlflowError ? ` [${error.code}]` : '';
      event.message = `stopped${code}: ${(error as Error).message}`;
      event.skipped = true;
    }
    context.report(event);
  }
}

/** A dry run's account of the registry: each source model, its versions and aliases. */
export async function describeRegistry(context: Pick<RegistryContext, 'source' | 'report'>) {
  for (const model of await everyModel(context.source.registry)) {
    const versions = await everyVersion(context.source.registry, model.name);
    const aliases = Object.keys(model.aliases).length;
    context.report({
      kind: 'model',
      name: model.name,
      versionsCreated: 0,
      aliasesSet: 0,
      message: `dry run: ${versions.length} versions and ${aliases} aliases to sync`,
    });
  }
}

async function syncModel(
  context: RegistryContext,
  model: RegisteredModel,
  event: SyncModelEvent,
): Promise<void> {
  const versions = await everyVersion(context.source.registry, model.name);
  const plans: VersionPlan[] = [];
  for (const version of versions) {
    const plan = planVersion(context, version);
    if (typeof plan === 'string') {
      event.message = `left out: version ${version.version}'s ${plan}`;
      event.skipped = true;
      return;
    }
    plans.push(plan);
  }
  const registry = context.target.registry;
  let present = await registry.getRegisteredModel(model.name).catch(notFoundAsUndefined);
  const tags = ownTags(model.tags);
  if (!present) {
    const marker = { key: SYNC_TAGS.versions, value: '0' };
    await registry
      .createRegisteredModel(model.name, [...tags, marker], model.description || undefined)
      .catch(alreadyThere);
    present = await registry.getRegisteredModel(model.name);
  } else {
    for (const tag of tags)
      if (ownValue(present.tags, tag.key) !== tag.value)
        await registry.setRegisteredModelTag(model.name, tag.key, tag.value);
    if (present.description !== model.description)
      await registry.updateRegisteredModel(model.name, model.description);
  }
  const numbers = await createVersions(context.target, present, plans, event);
  for (const [alias, version] of Object.entries(model.aliases)) {
    const number = numbers.get(version);
    const there = ownValue(present.aliases, alias);
    if (number === undefined || there === number) continue;
    if (there !== undefined && present.tags[SYNC_TAGS.versions] === undefined) {
      event.message = `alias ${alias} kept at the destination's version ${there} (the source's ${alias} is its version ${version}, here ${number})`;
      continue;
    }
    await registry.setRegisteredModelAlias(model.name, alias, number);
    event.aliasesSet++;
  }
}

/** A source version and what its copy is registered with, or why it cannot be. */
function planVersion(context: RegistryContext, version: ModelVersion): VersionPlan | string {
  let source = version.source;
  let runId = '';
  let origin = '';
  if (version.runId) {
    const copy = context.copies.get(version.runId);
    const run = context.sourceRuns.get(version.runId);
    if (!copy || !run)
      return `run ${version.runId} is not at the destination (sync its experiment first)`;
    source = rewriteSource(version.source, run, copy);
    runId = copy.runId;
    origin = context.origins.get(version.runId) ?? version.runId;
  }
  const originVersion = version.tags[SYNC_TAGS.sourceVersion] ?? version.version;
  return { version, source, runId, origin, originVersion, tags: ownTags(version.tags) };
}

/**
 * A version's source, pointed at the copy of its run: `runs:/<source run>/…` becomes
 * `runs:/<copy>/…`; a location inside the source run's artifacts (`…/<experiment>/<run>/artifacts/…`,
 * whatever the scheme) becomes the same place in the copy's. Anything else stays.
 */
function rewriteSource(
  source: string,
  run: Pick<RunInfo, 'runId' | 'experimentId' | 'artifactUri'>,
  copy: Pick<DestinationCopy, 'runId' | 'artifactUri'>,
): string {
  const runs = `runs:/${run.runId}`;
  if (source === runs || source.startsWith(`${runs}/`))
    return `runs:/${copy.runId}${source.slice(runs.length)}`;
  for (const root of [
    run.artifactUri.replace(/\/+$/, ''),
    `/${run.experimentId}/${run.runId}/artifacts`,
  ]) {
    const at = source.indexOf(root);
    const rest = at < 0 ? undefined : source.slice(at + root.length);
    if (rest !== undefined && (rest === '' || rest.startsWith('/')))
      return `${copy.artifactUri.replace(/\/+$/, '')}${rest}`;
  }
  return source;
}

/** Tags without the sync's own. */
function ownTags(tags: Readonly<Record<string, string>>): RegistryTag[] {
  return Object.entries(tags)
    .filter(([key]) => !isSyncTag(key))
    .map(([key, value]) => ({ key, value }));
}

async function everyModel(registry: RegistryStore): Promise<RegisteredModel[]> {
  const models: RegisteredModel[] = [];
  const seen = new Set<string>();
  let pageToken: string | undefined;
  do {
    const page = await registry.searchRegisteredModels({
      maxResults: 1000,
      ...(pageToken ? { pageToken } : {}),
    });
    models.push(...page.registeredModels);
    pageToken = nextPage(seen, page.nextPageToken, 'registered-models/search');
  } while (pageToken);
  return models;
}

function notFoundAsUndefined(error: unknown): undefined {
  if (error instanceof MlflowError && error.code === 'RESOURCE_DOES_NOT_EXIST') return undefined;
  throw error;
}

/** A retried create whose first attempt made the model. */
function alreadyThere(error: unknown): undefined {
  if (error instanceof MlflowError && error.code === 'RESOURCE_ALREADY_EXISTS') return undefined;
  throw error;
}
