import { ownValue } from '@heart/internal';
import type { Metric } from '../types.js';

/** What Python's `float()` accepts (besides nan/inf): `3`, `3.`, `.5`, `1e-05`, `1_000.5`. */
const PYTHON_FLOAT =
  /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const PYTHON_SPECIAL: Record<string, number> = {
  nan: Number.NaN,
  '+nan': Number.NaN,
  '-nan': Number.NaN,
  inf: Number.POSITIVE_INFINITY,
  '+inf': Number.POSITIVE_INFINITY,
  infinity: Number.POSITIVE_INFINITY,
  '+infinity': Number.POSITIVE_INFINITY,
  '-inf': Number.NEGATIVE_INFINITY,
  '-infinity': Number.NEGATIVE_INFINITY,
};

/** `<int ms> <plain float | nan | inf | -inf> <int step>`: what writers write, read at once. */
const SIMPLE_LINE = /^(\d{1,15}) (-?\d+(?:\.\d+)?(?:e[-+]\d+)?|nan|inf|-inf) (-?\d{1,15})$/;

/**
 * Parses a metric file with MLflow's reader rules: each line `<int ms> <float> [<int step>]`
 * (2 or 3 fields, step 0 when absent); a blank line, another field count, a float timestamp or an
 * empty file are fatal. Returns the points in file order, or the reason it is fatal.
 */
export function parseMetricFile(key: string, text: string): Metric[] | string {
  const stripped = text.replace(/\n$/, '');
  if (stripped === '') return `metric '${key}' file is empty`;
  const points: Metric[] = [];
  for (const rawLine of stripped.split('\n')) {
    // The lines MLflow and heart write (`<ms> <str(float)> <step>`), without the general checks.
    const simple = SIMPLE_LINE.exec(rawLine);
    if (simple) {
      const value = simple[2]!;
      points.push({
        key,
        timestamp: Number(simple[1]),
        // SIMPLE_LINE lets only numbers, nan, inf and -inf through.
        value: PYTHON_SPECIAL[value] ?? Number(value),
        step: Number(simple[3]),
      });
      continue;
    }
    const fields = rawLine.trim().split(' ');
    if (fields.length !== 2 && fields.length !== 3) {
      return `Metric '${key}' is malformed; persisted metric data contained ${fields.length} fields. Expected 2 or 3 fields.`;
    }
    const [timestampText, valueText, stepText] = fields as [string, string, string | undefined];
    if (!/^[+-]?\d+$/.test(timestampText))
      return `metric '${key}' has timestamp ${JSON.stringify(timestampText)}, not an integer`;
    const special = ownValue(PYTHON_SPECIAL, valueText.toLowerCase()) as number | undefined;
    if (special === undefined && !PYTHON_FLOAT.test(valueText))
      return `metric '${key}' has value ${JSON.stringify(valueText)}`;
    if (stepText !== undefined && !/^[+-]?\d+$/.test(stepText))
      return `metric '${key}' has step ${JSON.stringify(stepText)}`;
    points.push({
      key,
      timestamp: Number(timestampText),
      value: special ?? Number(valueText.replaceAll('_', '')),
      step: stepText === undefined ? 0 : Number(stepText),
    });
  }
  return points;
}

/** The latest point: greatest (step, timestamp, value), as MLflow picks it. */
export function latestMetric(points: readonly Metric[]): Metric {
  let best = points[0]!;
  for (const point of points) {
    if (
      point.step > best.step ||
      (point.step === best.step &&
        (point.timestamp > best.timestamp ||
          (point.timestamp === best.timestamp && point.value > best.value)))
    ) {
      best = point;
    }
  }
  return best;
}
