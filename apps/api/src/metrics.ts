import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import {
  type CounterChild,
  fastCounter,
  fastHistogram,
  type HistogramChild,
} from './fast-instruments.js';

/**
 * The service's Prometheus instruments, in their own registry, beside Node's process metrics
 * (prom-client's defaults: CPU, memory, event-loop lag, GC, handles). `text()` is what
 * `GET /metrics` answers: this process's registry, or with `WORKERS` > 1 every worker's, summed
 * by the primary (`cluster.ts`).
 */
export function createMetrics(options: { text?: () => Promise<string> } = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = fastCounter(registry, {
    name: 'heart_http_requests_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'method', 'status'],
  });
  const latency = fastHistogram(registry, {
    name: 'heart_http_request_duration_seconds',
    help: 'HTTP request latency by route, method and status',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  });
  const predictions = fastCounter(registry, {
    name: 'heart_predictions_total',
    help: 'Predictions served, by predicted class',
    labelNames: ['class'],
  });
  const modelLoadSeconds = new Gauge({
    name: 'heart_model_load_seconds',
    help: 'Time the serving model took to load (the slowest worker)',
    registers: [registry],
    aggregator: 'max',
  });
  const modelInfo = new Gauge({
    name: 'heart_model_info',
    help: 'The model being served (value 1)',
    labelNames: ['kind', 'version', 'run_id', 'registered_version'] as const,
    registers: [registry],
    aggregator: 'max',
  });
  const reloads = new Counter({
    name: 'heart_model_reloads_total',
    help: 'Model loads after the first (SIGHUP, a new version behind the alias), by result',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const swaps = new Counter({
    name: 'heart_model_swaps_total',
    help: 'Times a newly loaded model replaced the one being served',
    registers: [registry],
  });
  const loadFailures = new Counter({
    name: 'heart_model_load_failures_total',
    help: 'Models that failed to load or check (the served one, if any, kept serving)',
    registers: [registry],
  });
  // Children are looked up once per (route, method, status) and kept: the hot path then costs a
  // Map lookup, an addition and a bucket search.
  const predicted = [predictions.child('0'), predictions.child('1')] as const;
  const children = new Map<string, { count: CounterChild; time: HistogramChild }>();
  const observe = (route: string, method: string, status: number, seconds: number) => {
    const key = `${route} ${method} ${status}`;
    let child = children.get(key);
    if (!child) {
      const labels = [route, method, String(status)] as const;
      child = { count: requests.child(...labels), time: latency.child(...labels) };
      children.set(key, child);
    }
    child.count.inc();
    child.time.observe(seconds);
  };
  return {
    registry,
    /** The text `GET /metrics` answers. */
    text: () => (options.text ? options.text() : registry.metrics()),
    observe,
    predicted,
    modelLoadSeconds,
    modelInfo,
    reloads,
    swaps,
    loadFailures,
  };
}

export type ApiMetrics = ReturnType<typeof createMetrics>;
