/**
 * The design card's libraries (ml-logistic-regression, ml-random-forest) with their defaults,
 * fitted once each on the 242-row matrix: they take seconds, so they are not interleaved.
 */
import { Matrix } from 'ml-matrix';

export interface CardFigures {
  lrFitMs: number;
  rfFitMs: number;
  rfJsonKiB: number;
}

export async function measureCardLibraries(
  features: number[][],
  labels: number[],
): Promise<CardFigures> {
  const { default: MlLogisticRegression } = await import('ml-logistic-regression');
  const { RandomForestClassifier: MlRandomForest } = await import('ml-random-forest');
  let start = performance.now();
  new MlLogisticRegression().train(new Matrix(features), Matrix.columnVector(labels));
  const lrFitMs = performance.now() - start;
  start = performance.now();
  const forest = new MlRandomForest({ nEstimators: 100, seed: 42, noOOB: true });
  forest.train(features, labels);
  const rfFitMs = performance.now() - start;
  return { lrFitMs, rfFitMs, rfJsonKiB: JSON.stringify(forest.toJSON()).length / 1024 };
}
