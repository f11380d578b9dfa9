import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HeartRow, loadDataset } from '@heart/data';
import { LogisticRegression, RandomForest } from '@heart/models';
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

/**
 * Writes a real models/ folder (what train writes): a model fitted on Cleveland with its
 * preprocessor and metadata. Returns the folder and a cleanup.
 */
export async function writeModelDir(
  kind: 'random-forest' | 'logistic-regression' = 'random-forest',
  into?: string,
) {
  const dir = into ?? (await mkdtemp(join(tmpdir(), 'heart-api-models-')));
  await mkdir(dir, { recursive: true });
  const data = await clevelandRows();
  const preprocessor = createHeartPreprocessor().fit(data);
  const features = preprocessor.transform(data);
  const labels = data.map((row) => row.target);
  const model =
    kind === 'random-forest'
      ? new RandomForest({ nEstimators: 30, seed: 7 }).fit(features, labels, {
          featureNames: preprocessor.featureNames,
        })
      : new LogisticRegression().fit(features, labels, { featureNames: preprocessor.featureNames });
  await writeFile(join(dir, 'best_model.json'), JSON.stringify(model));
  await writeFile(join(dir, 'preprocessor.json'), JSON.stringify(preprocessor));
  await writeFile(
    join(dir, 'metadata.json'),
    JSON.stringify({
      kind,
      metrics: { roc_auc: 0.95 },
      trainingSeconds: 0.02,
      createdAt: '2026-11-26T00:00:00.000Z',
      mlflow: { runId: 'fixture0run0id0000000000000000001', trackingUri: 'file:///tmp/mlruns' },
    }),
  );
  return { dir, model, preprocessor, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
