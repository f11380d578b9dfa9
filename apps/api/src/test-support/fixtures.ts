import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { featureFields, type HeartRow, loadDataset } from '@heart/data';
import { LogisticRegression, RandomForest } from '@heart/models';
import { Pipeline, savePipelineDir } from '@heart/pipeline';
import { createHeartPreprocessor } from '@heart/preprocessing';
import { UCI_DIR } from '@heart/test-support';

let rows: HeartRow[] | undefined;

/** All 303 Cleveland rows from the fixture copy of the UCI file. */
export async function clevelandRows(): Promise<HeartRow[]> {
  rows ??= (await loadDataset(join(UCI_DIR, 'processed.cleveland.data'))).rows;
  return rows;
}

/** The 13 raw fields of a row, as a client sends them. */
export function patientOf(row: HeartRow): Record<string, number | null> {
  const { num: _num, target: _target, site: _site, ...patient } = row;
  return patient;
}

/** The training summary the fixture's pipeline carries (what /model shows). */
const FIXTURE_TRAINING = {
  metrics: { roc_auc: 0.95 },
  trainingSeconds: 0.02,
  createdAt: '2026-11-26T00:00:00.000Z',
  mlflow: { runId: 'fixture0run0id0000000000000000001', trackingUri: 'file:///tmp/mlruns' },
};

/**
 * Writes a real models/ folder (what train writes): a pipeline fitted on Cleveland — preprocessor,
 * classifier, metadata with the input schema (`ca`, `thal` nullable). With `legacy`, the seed's
 * format instead: the same model files and a metadata.json without an input schema.
 * Returns the folder, the parts and a cleanup.
 */
export async function writeModelDir(
  kind: 'random-forest' | 'logistic-regression' = 'random-forest',
  into?: string,
  options: { legacy?: boolean } = {},
) {
  const dir = into ?? (await mkdtemp(join(tmpdir(), 'heart-api-models-')));
  await mkdir(dir, { recursive: true });
  const data = await clevelandRows();
  const { summary } = await loadDataset(join(UCI_DIR, 'processed.cleveland.data'));
  const pipeline = new Pipeline({
    preprocessor: createHeartPreprocessor(),
    classifier:
      kind === 'random-forest'
        ? new RandomForest({ nEstimators: 30, seed: 7 })
        : new LogisticRegression(),
    inputSchema: featureFields(summary.missing),
    training: FIXTURE_TRAINING,
  }).fit(
    data,
    data.map((row) => row.target),
  );
  await savePipelineDir(dir, pipeline);
  if (options.legacy) {
    await writeFile(join(dir, 'metadata.json'), JSON.stringify({ kind, ...FIXTURE_TRAINING }));
  }
  return {
    dir,
    pipeline,
    model: pipeline.classifier,
    preprocessor: pipeline.preprocessor,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
