import { MlflowError } from '../errors.js';
import { nextPage } from '../internal/next-page.js';
import type {
  CreateVersionRequest,
  RegistryStore,
  RegistryTag,
} from '../registry/registry-store.js';
import type { ModelVersion, RegisteredModel } from '../registry/registry-types.js';
import { SYNC_TAGS } from './sync-tags.js';
import type { SyncTarget } from './sync-target.js';
import type { SyncModelEvent } from './sync-types.js';

/** A source version and what its copy is registered with. */
export interface VersionPlan {
  version: ModelVersion;
  /** The source, pointed at the copy of its run. */
  source: string;
  /** The copy of its run (`''` for a version without a run). */
  runId: string;
  /** Its run's origin id (`''` without a run). */
  origin: string;
  /** The version's number where it was first registered (kept through every sync). */
  originVersion: string;
  tags: RegistryTag[];
}

/**
 * Creates the versions the destination model lacks; returns source version → destination version.
 *
 * - **Same numbers** when the destination model is the sync's own (it carries
 *   `heart.sync.versions`, the highest source number dealt with): version n is created as the
 *   destination's n-th, a version deleted in the source as a placeholder that is deleted again
 *   (the counter is raised before the delete, so a rerun knows the gap is meant).
 * - A destination model of its own (trained into directly, say) **gets the versions appended**,
 *   each once (found again by its `heart.sync.source_version` and origin run tags).
 *
 * Each version is created once: a retried `model-versions/create` first looks for the version the
 * lost attempt made.
 */
export async function createVersions(
  target: SyncTarget,
  model: RegisteredModel,
  plans: readonly VersionPlan[],
  event: SyncModelEvent,
): Promise<Map<string, string>> {
  const present = await everyVersion(target.registry, model.name);
  const numbers = new Map<string, string>();
  const counter = model.tags[SYNC_TAGS.versions];
  if (counter === undefined) {
    for (const plan of plans) {
      const made =
        present.find((version) => sameVersion(version, plan)) ??
        (await create(target, model.name, plan, event));
      await ensureStage(target, made, plan);
      numbers.set(plan.version.version, made.version);
    }
    return numbers;
  }
  let synced = Number(counter) || 0;
  const byNumber = new Map(plans.map((plan) => [Number(plan.version.version), plan]));
  const last = Math.max(0, ...byNumber.keys());
  for (let n = 1; n <= last; n++) {
    const plan = byNumber.get(n);
    let have = present.find((version) => Number(version.version) === n);
    if (!have && n <= synced) continue; // a placeholder made and deleted by an earlier sync
    if (
      have &&
      !(plan ? sameVersion(have, plan) : have.tags[SYNC_TAGS.sourceVersion] === String(n))
    )
      throw conflict(model.name, n, 'is not a copy of the source version of that number');
    have ??= await create(target, model.name, plan ?? placeholder(model.name, n), event);
    if (Number(have.version) !== n)
      throw conflict(model.name, n, `came out as version ${have.version}`);
    if (n > synced) {
      await target.registry.setRegisteredModelTag(model.name, SYNC_TAGS.versions, String(n));
      synced = n;
    }
    if (!plan) {
      // A retried delete whose first attempt deleted it answers 404: deleted either way.
      await target.registry.deleteModelVersion(model.name, String(n)).catch(goneAlready);
      continue;
    }
    await ensureStage(target, have, plan);
    numbers.set(plan.version.version, have.version);
  }
  return numbers;
}

/** Creates one version (its stage too), never twice. */
async function create(
  target: SyncTarget,
  name: string,
  plan: VersionPlan,
  event: SyncModelEvent,
): Promise<ModelVersion> {
  const { version } = plan;
  const request: CreateVersionRequest = {
    name,
    source: plan.source,
    ...(plan.runId ? { runId: plan.runId } : {}),
    tags: [
      ...plan.tags,
      { key: SYNC_TAGS.sourceVersion, value: plan.originVersion },
      ...(plan.origin ? [{ key: SYNC_TAGS.originRunId, value: plan.origin }] : []),
    ],
    ...(version.runLink ? { runLink: version.runLink } : {}),
    ...(version.description ? { description: version.description } : {}),
  };
  const find = async () =>
    (await everyVersion(target.registry, name)).find((item) => sameVersion(item, plan));
  const made = await target.createModelVersion(request, find);
  event.versionsCreated++;
  return made;
}

/** Moves a copy to its source version's (legacy) stage, when it is not there yet. */
async function ensureStage(target: SyncTarget, copy: ModelVersion, plan: VersionPlan) {
  const stage = plan.version.currentStage;
  if (copy.currentStage !== stage)
    await target.registry.transitionModelVersionStage(copy.name, copy.version, stage, false);
}

/**
 * Whether a destination version is the copy of a planned one (its sync tags say so), or the
 * original it was copied from (same run, same number, no sync tags: a version copied back home).
 */
function sameVersion(version: ModelVersion, plan: VersionPlan): boolean {
  const tag = version.tags[SYNC_TAGS.sourceVersion];
  if (tag === undefined)
    return (
      plan.runId !== '' && version.runId === plan.runId && version.version === plan.originVersion
    );
  return tag === plan.originVersion && (version.tags[SYNC_TAGS.originRunId] ?? '') === plan.origin;
}

/** A stand-in for a version deleted in the source (created, then deleted, to keep the numbers). */
function placeholder(name: string, n: number): VersionPlan {
  return {
    version: {
      name,
      version: String(n),
      creationTimestamp: 0,
      lastUpdatedTimestamp: 0,
      currentStage: 'None',
      description: 'deleted in the source; kept so that the version numbers stay the same',
      source: '',
      runId: '',
      status: 'READY',
      runLink: '',
      tags: {},
      aliases: [],
    },
    source: `heart-sync:/deleted/${encodeURIComponent(name)}/${n}`,
    runId: '',
    origin: '',
    originVersion: String(n),
    tags: [],
  };
}

function goneAlready(error: unknown): void {
  if (!(error instanceof MlflowError && error.code === 'RESOURCE_DOES_NOT_EXIST')) throw error;
}

function conflict(name: string, n: number, what: string): MlflowError {
  return new MlflowError({
    code: 'RESOURCE_CONFLICT',
    message: `version ${n} of "${name}" at the destination ${what}: versions cannot keep their numbers (delete the destination's model, or sync into a model of another name)`,
  });
}

/** Every live version of a model, oldest first. */
export async function everyVersion(registry: RegistryStore, name: string): Promise<ModelVersion[]> {
  const quoted = name.includes("'") ? `"${name}"` : `'${name}'`;
  const versions: ModelVersion[] = [];
  const seen = new Set<string>();
  let pageToken: string | undefined;
  do {
    const page = await registry.searchModelVersions({
      filter: `name=${quoted}`,
      maxResults: 10_000,
      ...(pageToken ? { pageToken } : {}),
    });
    versions.push(...page.modelVersions.filter((version) => version.name === name));
    pageToken = nextPage(seen, page.nextPageToken, 'model-versions/search');
  } while (pageToken);
  return versions.sort((a, b) => Number(a.version) - Number(b.version));
}
