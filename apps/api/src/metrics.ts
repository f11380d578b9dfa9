import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The service's Prometheus instruments, in their own registry. */
export function createMetrics() {
  const registry = new Registry();
  const requests = new Counter({
    name: 'heart_http_requests_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'heart_http_request_duration_seconds',
    help: 'HTTP request latency by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const predictions = new Counter({
    name: 'heart_predictions_total',
    help: 'Predictions served, by predicted class',
    labelNames: ['class'] as const,
    registers: [registry],
  });
  const modelLoadSeconds = new Gauge({
    name: 'heart_model_load_seconds',
    help: 'Time the serving model took to load',
    registers: [registry],
  });
  const modelInfo = new Gauge({
    name: 'heart_model_info',
    help: 'The model being served (value 1)',
    labelNames: ['kind', 'version', 'run_id', 'registered_version'] as const,
    registers: [registry],
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
  // Children are looked up once per (route, method, status) and kept: the hot path then costs an
  // increment and a bucket search, not prom-client's label hashing.
  const predicted = [predictions.labels('0'), predictions.labels('1')] as const;
  const children = new Map<
    string,
    { count: { inc(): void }; time: { observe(value: number): void } }
  >();
  const observe = (route: string, method: string, status: number, seconds: number) => {
    const key = `${route} ${method} ${status}`;
    let child = children.get(key);
    if (!child) {
      const labels = [route, method, String(status)] as const;
      child = { count: requests.labels(...labels), time: latency.labels(...labels) };
      children.set(key, child);
    }
    child.count.inc();
    child.time.observe(seconds);
  };
  return {
    registry,
    requests,
    latency,
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
