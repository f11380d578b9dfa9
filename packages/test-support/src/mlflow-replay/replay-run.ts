/** A metric point as the replay server keeps it. */
export interface ReplayMetric {
  key: string;
  value: number;
  /** Epoch ms. */
  timestamp: number;
  step: number;
}

/** A run the replay server created: its wire-shaped info and what was logged to it. */
export interface ReplayRun {
  /** `run_id`, `run_name`, `status`, `start_time`, `artifact_uri`, `lifecycle_stage`, … */
  info: Record<string, unknown>;
  params: Map<string, string>;
  tags: Map<string, string>;
  /** Every point, in arrival order (an identical point is kept once, as SQL stores do). */
  metrics: ReplayMetric[];
}

const INFO_ORDER = [
  'run_uuid',
  'experiment_id',
  'run_name',
  'user_id',
  'status',
  'start_time',
  'end_time',
  'artifact_uri',
  'lifecycle_stage',
  'run_id',
];

/** A run info with MLflow's field order. */
export function orderedInfo(info: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of INFO_ORDER) if (info[key] !== undefined) out[key] = info[key];
  return out;
}

/** A point as a SQL-backed server answers it: ±∞ as the largest double, NaN as `"NaN"`. */
export function wireMetric(metric: ReplayMetric): Record<string, unknown> {
  const value = Number.isNaN(metric.value)
    ? 'NaN'
    : metric.value === Number.POSITIVE_INFINITY
      ? 1.7976931348623157e308
      : metric.value === Number.NEGATIVE_INFINITY
        ? -1.7976931348623157e308
        : metric.value;
  return { key: metric.key, value, timestamp: metric.timestamp, step: metric.step };
}

/** The latest point of each metric (greatest step, then timestamp). */
export function latestMetrics(metrics: readonly ReplayMetric[]): ReplayMetric[] {
  const byKey = new Map<string, ReplayMetric>();
  for (const metric of metrics) {
    const known = byKey.get(metric.key);
    if (
      !known ||
      metric.step > known.step ||
      (metric.step === known.step && metric.timestamp > known.timestamp)
    )
      byKey.set(metric.key, metric);
  }
  return [...byKey.values()];
}

/** A run as `runs/get` answers it. */
export function wireRun(run: ReplayRun): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const metrics = latestMetrics(run.metrics).map(wireMetric);
  if (metrics.length > 0) data.metrics = metrics;
  if (run.params.size > 0) data.params = [...run.params].map(([key, value]) => ({ key, value }));
  if (run.tags.size > 0) data.tags = [...run.tags].map(([key, value]) => ({ key, value }));
  return { info: orderedInfo(run.info), data };
}

/** A metric value from a request: numbers, or the strings `NaN`, `Infinity`, `-Infinity`. */
export function fromWire(value: unknown): number {
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return Number(value);
}

/** Whether two points are the same (NaN equal to NaN). */
export function samePoint(a: ReplayMetric, b: ReplayMetric): boolean {
  return (
    a.key === b.key &&
    a.step === b.step &&
    a.timestamp === b.timestamp &&
    (a.value === b.value || (Number.isNaN(a.value) && Number.isNaN(b.value)))
  );
}
