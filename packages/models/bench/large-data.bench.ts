/**
 * A million rows: a seeded 1,000,000-row file in the processed.*.data format (rows drawn from the
 * four UCI sites, missing values and all; generated here, never committed) streamed into columns,
 * preprocessed, and both models fitted (the forest: 10 trees, nJobs 2), each side in a child
 * process of its own so that its peak RSS is its own: heart from the built packages on plain node,
 * scikit-learn from numpy's genfromtxt. One run per side (each takes seconds).
 * Run: pnpm --filter @heart/models bench     (pnpm bench runs every benchmark, one at a time)
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  checkSklearn,
  compare,
  printRows,
  runPythonJson,
  SYSTEM_PYTHON,
  UCI_DIR,
  writeBenchResults,
} from '@heart/test-support';

const ROWS = 1_000_000;
const TREES = 10;
const JOBS = 2;

/** Writes ROWS lines drawn (seeded) from the 920 rows of the four sites. */
async function generate(path: string): Promise<void> {
  const lines = ['cleveland', 'hungarian', 'switzerland', 'va'].flatMap((site) =>
    readFileSync(join(UCI_DIR, `processed.${site}.data`), 'utf8')
      .trim()
      .split('\n'),
  );
  let seed = 20_261_201;
  const out = createWriteStream(path);
  let buffer = '';
  for (let i = 0; i < ROWS; i++) {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    buffer += `${lines[seed % lines.length]}\n`;
    if (buffer.length > 1 << 16 && !out.write(buffer)) await once(out, 'drain');
    if (buffer.length > 1 << 16) buffer = '';
  }
  out.end(buffer);
  await once(out, 'finish');
}

const work = mkdtempSync(join(tmpdir(), 'heart-large-data-'));
const notes: string[] = [];
try {
  const file = join(work, 'processed.million.data');
  await generate(file);
  console.log(
    `1,000,000 rows × 14 columns: load, preprocess, LR + RF (${TREES} trees, ${JOBS} jobs)`,
  );
  const child = spawnSync(
    process.execPath,
    [resolve(import.meta.dirname, 'large-data-child.mjs'), file, String(TREES), String(JOBS)],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (child.status !== 0) throw new Error(`large-data-child.mjs failed: ${child.stderr}`);
  const heart = JSON.parse(child.stdout.trim().split('\n').pop()!) as Record<string, number>;
  const sklearn = checkSklearn();
  let base: Record<string, number> | undefined;
  if ('version' in sklearn) {
    const script = resolve(import.meta.dirname, 'large_data_sklearn.py');
    base = runPythonJson(script, { args: [file, String(TREES), String(JOBS)] }) as Record<
      string,
      number
    >;
  } else notes.push(sklearn.missing);
  const name =
    'version' in sklearn ? `scikit-learn ${sklearn.version} (${SYSTEM_PYTHON})` : 'scikit-learn';
  const row = (key: string, figure: string, unit: string) =>
    compare({
      figure,
      unit,
      baseline: name,
      heart: [heart[key]!],
      base: base ? [base[key]!] : undefined,
      note: 'one run',
    });
  const rows = [
    row('load_ms', 'load 1M rows (CSV → columns)', 'ms'),
    row('load_rss', 'peak RSS after the load', 'MiB'),
    row('preprocess_ms', 'preprocess 1M rows (13 → 28 columns)', 'ms'),
    row('lr_ms', 'LR fit, 1M rows', 'ms'),
    row('rf_ms', `RF fit, 1M rows, ${TREES} trees, ${JOBS} jobs`, 'ms'),
    row('total_ms', 'load + preprocess + both fits', 'ms'),
    row('total_rss', 'peak RSS, load + preprocess + both fits', 'MiB'),
  ];
  printRows(rows);
  notes.push(`heart ${JSON.stringify(heart)}`, `baseline ${JSON.stringify(base ?? {})}`);
  writeBenchResults('large-data', rows, notes);
} finally {
  rmSync(work, { recursive: true, force: true });
}
