import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * Debian's interpreter, the one `apt-get install -y python3-sklearn` serves (a `python3` earlier
 * on `PATH`, such as a pyenv one, may have no scikit-learn).
 */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** Where each benchmark leaves its rows for `scripts/bench-summary.mjs` (git-ignored). */
export const BENCH_RESULTS_DIR = resolve(import.meta.dirname, '../../../.bench');

/** The median and the range of a set of measurements. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** How many measurements. */
  runs: number;
}

/**
 * The median, min and max of `values` (the mean of the middle two for an even count).
 *
 * @example
 * ```ts
 * spread([3, 1, 2]); // { median: 2, min: 1, max: 3, runs: 3 }
 * ```
 */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('spread: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: sorted.length };
}

/**
 * The median wall time in ms of `repeats` calls of `fn`, after one warm-up call.
 *
 * @example
 * ```ts
 * const ms = timeMs(5, () => rocAuc(labels, scores));
 * ```
 */
export function timeMs(repeats: number, fn: () => unknown): number {
  fn();
  const runs: number[] = [];
  for (let run = 0; run < repeats; run++) {
    const start = performance.now();
    fn();
    runs.push(performance.now() - start);
  }
  return spread(runs).median;
}

/** One side's measurements in one pair, by figure key (`{ lr_fit: 1.4, rf100_fit: 19.6 }`). */
export type Sample = Record<string, number>;

/** Options of {@link runPairs}. */
export interface PairsOptions {
  /** How many pairs to run. */
  pairs: number;
  /** Measures heart once; called once per pair (with `-1` for the warm-up). */
  heart: (pair: number) => Sample | Promise<Sample>;
  /** Measures the baseline once; omitted when it cannot run here (heart is measured alone). */
  baseline?: ((pair: number) => Sample | Promise<Sample>) | undefined;
  /** Run the baseline first in each pair (B A B A …). Default `false` (A B A B …). */
  baselineFirst?: boolean;
  /** Measure heart once before the pairs and drop it (the JIT's first pass). Default `true`. */
  warmUp?: boolean;
}

/**
 * Runs heart and its baseline alternately, one pair after the other, so that a busy spell of the
 * machine falls on both sides alike; returns each side's samples in pair order.
 *
 * @example
 * ```ts
 * const { heart, baseline } = await runPairs({ pairs: 5, heart: timeOurs, baseline: timeSklearn });
 * ```
 */
export async function runPairs(
  options: PairsOptions,
): Promise<{ heart: Sample[]; baseline: Sample[] }> {
  const heart: Sample[] = [];
  const baseline: Sample[] = [];
  if (options.warmUp ?? true) await options.heart(-1);
  for (let pair = 0; pair < options.pairs; pair++) {
    const started = performance.now();
    if (options.baselineFirst && options.baseline) baseline.push(await options.baseline(pair));
    heart.push(await options.heart(pair));
    if (!options.baselineFirst && options.baseline) baseline.push(await options.baseline(pair));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const what = options.baseline ? 'pair' : 'run';
    console.log(`  ${what} ${pair + 1}/${options.pairs} done (${seconds} s)`);
  }
  return { heart, baseline };
}

/** One figure of a benchmark: both sides and the ratio heart / baseline. */
export interface BenchRow {
  figure: string;
  unit: string;
  /** What heart is compared with (`scikit-learn 1.2.1`, `bare node:http`, …). */
  baseline: string;
  heart: Spread;
  /** Absent when the baseline was skipped. */
  base?: Spread;
  /** Spread of {@link BenchRow.ratios}. */
  ratio?: Spread;
  /** Heart / baseline per pair (per heart run when the baseline is a single figure). */
  ratios?: number[];
  note?: string;
}

/** Options of {@link compare}. */
export interface CompareOptions {
  figure: string;
  unit: string;
  baseline: string;
  /** Heart's measurements, one per pair. */
  heart: readonly number[];
  /** The baseline's, in the same pair order, or a single figure (quoted or measured once). */
  base?: readonly number[] | undefined;
  note?: string;
}

/**
 * One row from both sides' measurements: each side's spread and the spread of the per-pair ratios.
 *
 * @example
 * ```ts
 * compare({ figure: 'LR fit', unit: 'ms', baseline: 'scikit-learn', heart: [1, 2], base: [2, 4] });
 * ```
 */
export function compare(options: CompareOptions): BenchRow {
  const { heart, base } = options;
  const row: BenchRow = {
    figure: options.figure,
    unit: options.unit,
    baseline: options.baseline,
    heart: spread(heart),
    ...(options.note === undefined ? {} : { note: options.note }),
  };
  if (base === undefined || base.length === 0) return row;
  if (base.length !== 1 && base.length !== heart.length)
    throw new Error(`compare ${options.figure}: ${heart.length} heart, ${base.length} baseline`);
  const ratios = heart.map((value, pair) => value / base[base.length === 1 ? 0 : pair]!);
  return { ...row, base: spread(base), ratio: spread(ratios), ratios };
}

function column(samples: readonly Sample[], key: string): number[] {
  return samples.map((sample) => {
    const value = sample[key];
    if (value === undefined) throw new Error(`sample has no figure ${key}`);
    return value;
  });
}

/** Three significant digits; whole numbers from 100 up, with thousands separators. */
function formatFigure(value: number): string {
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}

function formatSpread(value: Spread, counted = true): string {
  const median = formatFigure(value.median);
  if (value.runs === 1) return median;
  const range = `${median} (${formatFigure(value.min)}–${formatFigure(value.max)})`;
  return counted ? `${range}, ${value.runs} runs` : range;
}

/** Prints each row: both sides as median (min–max) and the ratio of each pair. */
export function printRows(rows: readonly BenchRow[]): void {
  for (const row of rows) {
    const width = Math.max(5, row.baseline.length);
    console.log(`${row.figure} (${row.unit})${row.note ? ` — ${row.note}` : ''}`);
    console.log(`  ${'heart'.padEnd(width)}  ${formatSpread(row.heart)}`);
    if (!row.base || !row.ratio || !row.ratios) {
      console.log(`  ${row.baseline.padEnd(width)}  skipped`);
      continue;
    }
    console.log(`  ${row.baseline.padEnd(width)}  ${formatSpread(row.base)}`);
    const each = row.ratios.map(formatFigure).join(' ');
    const per = row.base.runs === 1 ? 'per heart run' : 'per pair';
    console.log(`  ${'ratio'.padEnd(width)}  ${formatSpread(row.ratio, false)} — ${per} ${each}`);
  }
}

/**
 * Builds and prints the rows of figures measured in pairs by {@link runPairs}.
 *
 * @example
 * ```ts
 * const rows = pairedRows(pairs, [{ key: 'lr_fit', figure: 'LR fit', unit: 'ms' }], 'scikit-learn');
 * ```
 */
export function pairedRows(
  samples: { heart: readonly Sample[]; baseline: readonly Sample[] },
  figures: readonly { key: string; figure: string; unit: string }[],
  baseline: string,
): BenchRow[] {
  const rows = figures.map(({ key, figure, unit }) =>
    compare({
      figure,
      unit,
      baseline,
      heart: column(samples.heart, key),
      base: samples.baseline.length > 0 ? column(samples.baseline, key) : undefined,
    }),
  );
  printRows(rows);
  return rows;
}

/**
 * Writes a benchmark's rows to `.bench/<bench>.json` (temp file, then rename) for the summary
 * that `pnpm bench` prints at the end; `notes` are printed under it (a skipped baseline, say).
 */
export function writeBenchResults(bench: string, rows: readonly BenchRow[], notes: string[] = []) {
  mkdirSync(BENCH_RESULTS_DIR, { recursive: true });
  const path = join(BENCH_RESULTS_DIR, `${bench}.json`);
  const finishedAt = new Date().toISOString();
  writeFileSync(`${path}.tmp`, `${JSON.stringify({ bench, finishedAt, rows, notes }, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
  console.log(`results: ${relative(process.cwd(), path)}`);
}

/**
 * scikit-learn's version from {@link SYSTEM_PYTHON}, or a plain message saying it is missing and
 * how to install it (the benchmark then measures heart alone).
 */
export function checkSklearn(): { version: string } | { missing: string } {
  const probe = ['-c', 'import sklearn; print(sklearn.__version__)'];
  const result = spawnSync(SYSTEM_PYTHON, probe, { encoding: 'utf8' });
  if (result.status === 0) return { version: result.stdout.trim() };
  return {
    missing: `scikit-learn baseline skipped: ${SYSTEM_PYTHON} cannot import sklearn. Install Debian's: apt-get install -y python3-sklearn`,
  };
}

/**
 * Runs a Python script file with {@link SYSTEM_PYTHON} and parses the JSON it prints last.
 *
 * @example
 * ```ts
 * const sample = runPythonJson('bench/models_sklearn.py', { args: [dataDir] }) as Sample;
 * ```
 */
export function runPythonJson(script: string, options: { args?: string[]; input?: Buffer } = {}) {
  const result = spawnSync(SYSTEM_PYTHON, [script, ...(options.args ?? [])], {
    input: options.input,
    maxBuffer: 1 << 24,
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`${script} failed (${result.status}): ${result.stderr || result.error}`);
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as unknown;
}
