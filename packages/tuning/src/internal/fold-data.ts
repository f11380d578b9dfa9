import type { DenseMatrix, Features } from '@heart/models';
import type { Pipeline } from '@heart/pipeline';
import type { TrainTestIndices } from '@heart/preprocessing';
import { clonePreprocessor } from './pipeline-parts.js';

/** One fold's training and held-out rows as dense matrices (shared memory for workers). */
export interface FoldData {
  train: DenseMatrix;
  trainLabels: Uint8Array;
  test: DenseMatrix;
  testLabels: Uint8Array;
}

function allocate(length: number, shared: boolean): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length);
}

function labelsOf(
  labels: ArrayLike<number>,
  index: readonly number[],
  shared: boolean,
): Uint8Array {
  const out = shared
    ? new Uint8Array(new SharedArrayBuffer(index.length))
    : new Uint8Array(index.length);
  index.forEach((i, k) => {
    out[k] = labels[i]!;
  });
  return out;
}

/** The rows `index` of `features` (rows or a dense matrix) as one dense block. */
function gather(features: Features, index: readonly number[], shared: boolean): DenseMatrix {
  const dense = 'data' in features ? (features as DenseMatrix) : undefined;
  const rows = dense ? undefined : (features as readonly ArrayLike<number>[]);
  const columns = dense ? dense.columns : rows![0]!.length;
  const data = allocate(index.length * columns, shared);
  index.forEach((i, k) => {
    if (dense) data.set(dense.data.subarray(i * columns, (i + 1) * columns), k * columns);
    else data.set(rows![i]!, k * columns);
  });
  return { data, rows: index.length, columns };
}

/** Each fold's rows of features already numeric (a classifier's search). */
export function foldsOfFeatures(
  features: Features,
  labels: ArrayLike<number>,
  folds: readonly TrainTestIndices[],
  shared: boolean,
): FoldData[] {
  return folds.map((fold) => ({
    train: gather(features, fold.trainIndex, shared),
    trainLabels: labelsOf(labels, fold.trainIndex, shared),
    test: gather(features, fold.testIndex, shared),
    testLabels: labelsOf(labels, fold.testIndex, shared),
  }));
}

/**
 * Each fold's records through a fresh copy of the pipeline's preprocessor fitted on the fold's
 * training records only. The preprocessor does not depend on the classifier's options, so one fit
 * per fold serves every candidate (GridSearchCV refits it per candidate, to the same numbers).
 */
export function foldsOfRecords(
  pipeline: Pipeline,
  records: readonly object[],
  labels: ArrayLike<number>,
  folds: readonly TrainTestIndices[],
  shared: boolean,
): FoldData[] {
  return folds.map((fold) => {
    const preprocessor = clonePreprocessor(pipeline.preprocessor);
    const train = preprocessor.fitTransform(fold.trainIndex.map((i) => records[i]!));
    const test = preprocessor.transform(fold.testIndex.map((i) => records[i]!));
    const all = (matrix: Float64Array[]) => Array.from(matrix.keys());
    return {
      train: gather(train, all(train), shared),
      trainLabels: labelsOf(labels, fold.trainIndex, shared),
      test: gather(test, all(test), shared),
      testLabels: labelsOf(labels, fold.testIndex, shared),
    };
  });
}
