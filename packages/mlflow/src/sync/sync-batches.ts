import { toWireMetric } from '../rest/wire.js';
import type { Metric, Param, RunTag } from '../types.js';
import { LIMITS } from '../validation.js';
import { groupByKey } from './metric-diff.js';

/** One `runs/log-batch` of a sync: what it holds and its body. */
export interface SyncBatch {
  params: Param[];
  tags: RunTag[];
  metrics: Metric[];
  json: string;
}

/** What one batch may hold (MLflow's limits, SPEC §3.4). */
interface BatchLimits {
  metrics: number;
  params: number;
  tags: number;
  entities: number;
  bytes: number;
}

const DEFAULT_LIMITS: BatchLimits = {
  metrics: LIMITS.batchMetrics,
  params: LIMITS.batchParams,
  tags: LIMITS.batchTags,
  entities: LIMITS.batchEntities,
  bytes: LIMITS.batchBytes,
};

class Chunk {
  readonly params: Param[] = [];
  readonly tags: RunTag[] = [];
  readonly metrics: Metric[] = [];
  /** Each item's JSON, made once (its size decides where it goes). */
  readonly texts: Record<Kind, string[]> = { params: [], tags: [], metrics: [] };
  bytes: number;

  constructor(readonly head: string) {
    // `,"metrics":[` `,"params":[` `,"tags":[` with their `]`, and the closing `}`.
    this.bytes = head.length + 36;
  }

  get entities(): number {
    return this.params.length + this.tags.length + this.metrics.length;
  }

  json(): string {
    let json = this.head;
    for (const kind of ['metrics', 'params', 'tags'] as const)
      if (this.texts[kind].length > 0) json += `,"${kind}":[${this.texts[kind].join(',')}]`;
    return `${json}}`;
  }
}

type Kind = 'params' | 'tags' | 'metrics';

const stringify = (item: Param | RunTag) => JSON.stringify({ key: item.key, value: item.value });

/**
 * The `runs/log-batch` bodies that carry a run's params, tags and metric points within MLflow's
 * limits, **by metric key**: a key's points travel in one batch whenever they fit in one (a key of
 * more than 1000 points fills whole batches), so a batch whose answer was lost can be checked
 * against the destination's history of just its keys. Params and tags come first; `last` (the
 * sync's completion tag) goes into the last batch, after everything else.
 *
 * @example
 * ```ts
 * const batches = syncBatches(runId, { params, tags, metrics }, COMPLETE_TAG);
 * ```
 */
export function syncBatches(
  runId: string,
  items: { params?: readonly Param[]; tags?: readonly RunTag[]; metrics?: readonly Metric[] },
  last?: RunTag,
  limits: BatchLimits = DEFAULT_LIMITS,
): SyncBatch[] {
  const head = `{"run_id":${JSON.stringify(runId)}`;
  const chunks: Chunk[] = [new Chunk(head)];
  const current = () => chunks[chunks.length - 1]!;
  const room = (chunk: Chunk, size: number, kind: Kind) =>
    chunk[kind].length < limits[kind] &&
    chunk.entities < limits.entities &&
    chunk.bytes + size + 1 <= limits.bytes;
  const add = (kind: Kind, item: Param | RunTag | Metric) => {
    const text =
      kind === 'metrics'
        ? JSON.stringify(toWireMetric(item as Metric))
        : stringify(item as Param | RunTag);
    const size = Buffer.byteLength(text);
    if (size + head.length + 36 > limits.bytes)
      throw new RangeError(`one log-batch item is ${size} bytes, over the request limit`);
    if (!room(current(), size, kind)) chunks.push(new Chunk(head));
    (current()[kind] as (Param | RunTag | Metric)[]).push(item);
    current().texts[kind].push(text);
    current().bytes += size + 1;
  };
  for (const param of items.params ?? []) add('params', param);
  for (const tag of items.tags ?? []) add('tags', tag);
  for (const points of groupByKey(items.metrics ?? []).values()) {
    const chunk = current();
    const free = Math.min(limits.metrics - chunk.metrics.length, limits.entities - chunk.entities);
    // A key that fits in a fresh batch but not in this one starts the next batch.
    if (points.length > free && points.length <= limits.metrics && chunk.entities > 0)
      chunks.push(new Chunk(head));
    for (const point of points) add('metrics', point);
  }
  if (last) add('tags', last);
  return chunks
    .filter((chunk) => chunk.entities > 0)
    .map((chunk) => ({
      params: chunk.params,
      tags: chunk.tags,
      metrics: chunk.metrics,
      json: chunk.json(),
    }));
}
