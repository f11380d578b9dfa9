import { type Answer, errorAnswer } from './answers.js';
import { loadExchanges } from './exchanges.js';

/** A model version the replay server keeps (wire-named fields). */
export interface ReplayModelVersion {
  name: string;
  version: number;
  creation_timestamp: number;
  last_updated_timestamp: number;
  current_stage: string;
  description: string;
  source: string;
  run_id?: string;
  run_link: string;
  tags: Map<string, string>;
  deleted: boolean;
}

/** A registered model the replay server keeps (wire-named fields). */
export interface ReplayRegisteredModel {
  name: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  description: string;
  tags: Map<string, string>;
  /** alias → version number */
  aliases: Map<string, string>;
  versions: Map<number, ReplayModelVersion>;
}

/** The field order of the recorded answers (SQL server, seq 94 and 93). */
const ORDER = (() => {
  const byseq = (seq: number) =>
    loadExchanges('registry').find((exchange) => exchange.seq === seq)!.response_body as {
      json: Record<string, Record<string, unknown>>;
    };
  return {
    model: Object.keys(byseq(94).json.registered_model!),
    version: Object.keys(byseq(93).json.model_version!),
  };
})();

function ordered(order: readonly string[], fields: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const key of order) if (fields[key] !== undefined) out[key] = fields[key];
  return out;
}

const tagList = (tags: Map<string, string>) =>
  tags.size > 0 ? [...tags].map(([key, value]) => ({ key, value })) : undefined;

/** A version as the SQL server answers it: empty tags and aliases left out, `version` a string. */
export function wireVersion(
  version: ReplayModelVersion,
  model: ReplayRegisteredModel | undefined,
  withAliases = true,
): Record<string, unknown> {
  const aliases = withAliases
    ? [...(model?.aliases ?? [])]
        .filter(([, number]) => number === String(version.version))
        .map(([alias]) => alias)
        .sort()
    : [];
  return ordered(ORDER.version, {
    ...version,
    version: String(version.version),
    status: 'READY',
    tags: tagList(version.tags),
    aliases: aliases.length > 0 ? aliases : undefined,
  });
}

/** A model as the SQL server answers it: latest version per stage (no aliases in them). */
export function wireModel(model: ReplayRegisteredModel): Record<string, unknown> {
  const latest = new Map<string, ReplayModelVersion>();
  for (const version of [...model.versions.values()].sort((a, b) => a.version - b.version)) {
    if (version.deleted) continue;
    const known = latest.get(version.current_stage);
    if (!known || known.version < version.version) latest.set(version.current_stage, version);
  }
  const aliases = [...model.aliases]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([alias, version]) => ({ alias, version }));
  return ordered(ORDER.model, {
    ...model,
    description: model.description || undefined,
    latest_versions:
      latest.size > 0
        ? [...latest.values()].map((item) => wireVersion(item, model, false))
        : undefined,
    tags: tagList(model.tags),
    aliases: aliases.length > 0 ? aliases : undefined,
  });
}

/** A 400 `INVALID_PARAMETER_VALUE`. */
export function invalid(message: string): Answer {
  return errorAnswer(400, 'INVALID_PARAMETER_VALUE', message);
}

/** The server's answer to a missing required field. */
export function missing(field: string): Answer {
  return invalid(
    `Missing value for required parameter '${field}'. See the API docs for more information about request parameters.`,
  );
}

/** A tag key the server refuses, or `undefined`. */
export function badTagKey(key: unknown): Answer | undefined {
  if (typeof key !== 'string' || key === '') return missing('key');
  if (
    /^[/\p{L}\p{N}_.\- :]*$/u.test(key) &&
    !key.split('/').some((part) => part === '..' || part === '.')
  )
    return undefined;
  return invalid(
    `Invalid value "${key}" for parameter 'key' supplied: Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`,
  );
}

/** An alias name the server refuses, or `undefined`. */
export function badAlias(alias: unknown): Answer | undefined {
  if (typeof alias !== 'string' || alias === '') return missing('alias');
  if (!/^[\p{L}\p{N}_-]*$/u.test(alias))
    return invalid(
      `Invalid alias name: '${alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`,
    );
  if (alias.toLowerCase() === 'latest')
    return invalid("'latest' alias name (case insensitive) is reserved.");
  if (/^[vV]\d+$/.test(alias)) return invalid(`Version alias name '${alias}' is reserved.`);
  return undefined;
}

const STAGES = ['None', 'Staging', 'Production', 'Archived'];

/** A stage as MLflow spells it, or the recorded 400. */
export function canonicalStage(stage: unknown): string | Answer {
  const found = STAGES.find((known) => known.toLowerCase() === String(stage).toLowerCase());
  return (
    found ??
    invalid(`Invalid Model Version stage: ${stage}. Value must be one of ${STAGES.join(', ')}.`)
  );
}

/** `max_results` of a search: an integer up to `limit` (0 passes, as on SQL servers). */
export function pageSize(
  raw: string | undefined,
  fallback: number,
  limit: number,
): number | Answer {
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value > limit || value < 0)
    return invalid(
      `Invalid value "${raw}" for parameter 'max_results' supplied:  Hint: Value was of type 'str'. See the API docs for more information about request parameters.`,
    );
  return value;
}

/** The offset of a page token, or the recorded 400. */
export function pageOffset(token: string | undefined): number | Answer {
  if (!token) return 0;
  const clean = token.replace(/[^A-Za-z0-9+/=]/g, '');
  if (clean.replace(/=+$/, '').length % 4 !== 0 && clean.length % 4 !== 0)
    return invalid('Invalid page token, could not base64-decode');
  try {
    const offset = Number(JSON.parse(Buffer.from(clean, 'base64').toString('utf8')).offset);
    if (Number.isInteger(offset) && offset > 0) return offset;
  } catch {}
  return invalid(`Invalid page token, decoded value=${Buffer.from(clean, 'base64').toString()}`);
}

/** One page of `items` and the next page's token (SQL servers answer a token even for size 0). */
export function page<T>(items: readonly T[], offset: number, size: number) {
  const end = offset + size;
  const token = Buffer.from(`{"offset": ${end}}`).toString('base64');
  return {
    items: items.slice(offset, end),
    token: end < items.length || size === 0 ? token : undefined,
  };
}
