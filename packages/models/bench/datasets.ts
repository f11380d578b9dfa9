/**
 * The matrices of the models benchmark: the Cleveland reference split's 242 training rows (as
 * rows, the pipeline's path) and Cleveland replicated to 30,300 and 300,000 rows (as dense
 * matrices, the large-data path), preprocessed as the Python pipeline does.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type HeartRow, loadDataset } from '@heart/data';
import { createHeartPreprocessor } from '@heart/preprocessing';
import { fixturePath } from '@heart/test-support';
import type { DenseMatrix } from '../src/index.js';

export interface Sized {
  dense: DenseMatrix;
  labels: Uint8Array;
}

function replicate(rows: HeartRow[], count: number): Sized {
  const replicated = Array.from({ length: count }, (_, i) => rows[i % rows.length]!);
  const columns = Object.fromEntries(
    Object.keys(replicated[0]!)
      .filter((name) => name !== 'site')
      .map((name) => [
        name,
        Float64Array.from(
          replicated,
          (row) => (row[name as keyof HeartRow] as number | null) ?? Number.NaN,
        ),
      ]),
  );
  return {
    dense: createHeartPreprocessor().fitTransformColumns(columns),
    labels: Uint8Array.from(replicated, (row) => row.target),
  };
}

export async function benchData() {
  const reference = JSON.parse(
    readFileSync(fixturePath('reference/sklearn-baseline.json'), 'utf8'),
  );
  const { rows } = await loadDataset(
    fixturePath('data/uci-heart-disease/processed.cleveland.data'),
  );
  const train = (reference.split.train_index as number[]).map((i) => rows[i]!);
  const x = createHeartPreprocessor()
    .fit(train)
    .transform(train)
    .map((row) => Array.from(row));
  const y = train.map((row) => row.target);
  return { x, y, mid: replicate(rows, 30_300), big: replicate(rows, 300_000) };
}

/** Writes a matrix and its labels as raw float64 / uint8 files (for Python and child processes). */
export function writeMatrix(folder: string, name: string, set: Sized): void {
  writeFileSync(join(folder, `x_${name}.f64`), set.dense.data);
  writeFileSync(join(folder, `y_${name}.u8`), set.labels);
}

/** Reads what {@link writeMatrix} wrote. */
export function readMatrix(folder: string, name: string, columns: number): Sized {
  const bytes = readFileSync(join(folder, `x_${name}.f64`));
  const data = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8).slice();
  const labels = Uint8Array.from(readFileSync(join(folder, `y_${name}.u8`)));
  return { dense: { data, rows: labels.length, columns }, labels };
}
