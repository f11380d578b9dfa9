import { downloadDataset, featureFields, type HeartRow, loadDataset } from '@heart/data';
import type { InputSchema } from '@heart/pipeline';
import { trainTestSplit } from '@heart/preprocessing';
import type { TrainOptions } from './options.js';
import type { Reporter } from './reporter.js';

/** The data of a training session: all rows, the split, and the input schema models serve. */
export interface TrainingData {
  rows: HeartRow[];
  summary: { rows: number; positives: number; sha256: string };
  sources: string[];
  train: { rows: HeartRow[]; labels: number[] };
  test: { rows: HeartRow[]; labels: number[] };
  /** The 13 fields, nullable where the loaded data had missing values (Cleveland: ca, thal). */
  inputSchema: InputSchema;
}

const seconds = (since: number) => (performance.now() - since) / 1000;

/** Downloads (or reads the cache), validates, and splits as `options.split` says. */
export async function loadTrainingData(
  options: TrainOptions,
  reporter: Reporter,
): Promise<TrainingData> {
  let started = performance.now();
  const download = await downloadDataset({
    source: options.dataSource,
    sites: options.sites,
    cacheDir: options.dataDir,
    cwd: options.root,
    verifyChecksum: options.verifyChecksum,
    onRetry: (event) =>
      reporter.line(
        `  retry ${event.attempt} of ${event.url} in ${event.waitMs} ms: ${event.reason}`,
      ),
  });
  const { rows, summary } = await loadDataset(download.files.map((file) => file.path));
  const fromCache = download.files.every((file) => file.fromCache);
  reporter.stage(
    'data',
    seconds(started),
    `${summary.rows} rows, ${summary.positives} with disease (${fromCache ? 'cached' : 'downloaded'}), sha256 ${summary.sha256.slice(0, 12)}`,
  );

  started = performance.now();
  const labels = rows.map((row) => row.target);
  const split = trainTestSplit({
    labels,
    testSize: options.testSize,
    seed: options.seed,
    method: options.split,
  });
  const part = (indices: number[]) => ({
    rows: indices.map((index) => rows[index]!),
    labels: indices.map((index) => labels[index]!),
  });
  const data: TrainingData = {
    rows,
    summary,
    sources: download.files.map((file) => file.url),
    train: part(split.trainIndex),
    test: part(split.testIndex),
    inputSchema: featureFields(summary.missing),
  };
  reporter.stage(
    'split',
    seconds(started),
    `${data.train.rows.length} train / ${data.test.rows.length} test rows (seed ${options.seed}, ${options.split} split)`,
  );
  return data;
}
