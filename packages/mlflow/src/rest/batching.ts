import type { Metric, Param, RunTag } from '../types.js';
import { LIMITS } from '../validation.js';
import { toWireMetric } from './wire.js';

/** One `runs/log-batch` body, ready to send. */
export interface WireBatch {
  /** The JSON text. */
  json: string;
  metrics: number;
  params: number;
  tags: number;
}

/**
 * Splits params, tags and metrics into `runs/log-batch` bodies within MLflow's limits (SPEC §3.4):
 * ≤ 1000 metrics, ≤ 100 params, ≤ 100 tags, ≤ 1000 entities and ≤ 1,000,000 bytes each. As MLflow's
 * Python client: params and tags go in paired chunks, each topped up with metrics, then the
 * remaining metrics 1000 at a time — so the count is the minimum the limits allow. Unlike it, a
 * chunk also closes before it would pass the byte limit (100 params of 6000 characters would).
 */
export function splitLogBatch(
  runId: string,
  batch: { metrics?: readonly Metric[]; params?: readonly Param[]; tags?: readonly RunTag[] },
  limits: { bytes?: number } = {},
): WireBatch[] {
  const byteLimit = limits.bytes ?? LIMITS.batchBytes;
  const params = (batch.params ?? []).map((param) => JSON.stringify(param));
  const tags = (batch.tags ?? []).map((tag) => JSON.stringify(tag));
  const metrics = (batch.metrics ?? []).map((metric) => JSON.stringify(toWireMetric(metric)));
  const head = `{"run_id":${JSON.stringify(runId)}`;
  // `,"metrics":[` `,"params":[` `,"tags":[` with their `]` and the final `}`.
  const frame = head.length + 13 + 12 + 10 + 1;
  const out: WireBatch[] = [];
  let p = 0;
  let t = 0;
  let m = 0;
  while (p < params.length || t < tags.length || m < metrics.length) {
    const chunk: { params: string[]; tags: string[]; metrics: string[] } = {
      params: [],
      tags: [],
      metrics: [],
    };
    let bytes = frame;
    let entities = 0;
    const fits = (item: string) =>
      bytes + Buffer.byteLength(item) + 1 <= byteLimit && entities < LIMITS.batchEntities;
    const take = (list: string[], item: string) => {
      list.push(item);
      bytes += Buffer.byteLength(item) + 1;
      entities++;
    };
    while (p < params.length && chunk.params.length < LIMITS.batchParams && fits(params[p]!))
      take(chunk.params, params[p++]!);
    while (t < tags.length && chunk.tags.length < LIMITS.batchTags && fits(tags[t]!))
      take(chunk.tags, tags[t++]!);
    while (m < metrics.length && chunk.metrics.length < LIMITS.batchMetrics && fits(metrics[m]!))
      take(chunk.metrics, metrics[m++]!);
    if (entities === 0) {
      const item = params[p] ?? tags[t] ?? metrics[m]!;
      throw new RangeError(
        `one log-batch item is ${Buffer.byteLength(item)} bytes, over the ${byteLimit}-byte request limit`,
      );
    }
    let json = head;
    if (chunk.metrics.length > 0) json += `,"metrics":[${chunk.metrics.join(',')}]`;
    if (chunk.params.length > 0) json += `,"params":[${chunk.params.join(',')}]`;
    if (chunk.tags.length > 0) json += `,"tags":[${chunk.tags.join(',')}]`;
    out.push({
      json: `${json}}`,
      metrics: chunk.metrics.length,
      params: chunk.params.length,
      tags: chunk.tags.length,
    });
  }
  return out;
}
