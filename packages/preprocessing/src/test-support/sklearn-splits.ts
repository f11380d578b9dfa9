import { readFileSync } from 'node:fs';

/** One fold as scikit-learn yields it. */
export interface RecordedFold {
  train_index: number[];
  test_index: number[];
}

/** A raw `RandomState(seed)` draw sequence. */
type RecordedDraws =
  | { name: string; op: 'permutation' | 'uint32'; seed: number; n: number; expected: number[] }
  | { name: string; op: 'bounded'; seed: number; maxes: number[]; expected: number[] }
  | { name: string; op: 'choice'; seed: number; items: number[]; size: number; expected: number[] };

/** Length, ends and position-weighted checksum of a long index array. */
export interface IndexDigest {
  length: number;
  head: number[];
  tail: number[];
  checksum: number;
}

/** `src/__fixtures__/sklearn-splits.json`, written by `scripts/record-sklearn-splits.py`. */
export interface SklearnSplitsFixture {
  sklearn: string;
  numpy: string;
  random_state: RecordedDraws[];
  train_test_split: (RecordedFold & {
    name: string;
    labels: number[];
    test_size: number;
    stratify: boolean;
    seed: number;
  })[];
  stratified_k_fold: {
    name: string;
    labels: number[];
    folds_count: number;
    shuffle: boolean;
    seed: number | null;
    folds: RecordedFold[];
  }[];
  k_fold: {
    name: string;
    n: number;
    folds_count: number;
    shuffle: boolean;
    seed: number | null;
    folds: RecordedFold[];
  }[];
  large: {
    name: string;
    n: number;
    test_size: number;
    seed: number;
    train: IndexDigest;
    test: IndexDigest;
  }[];
}

export const sklearnSplits = JSON.parse(
  readFileSync(new URL('../__fixtures__/sklearn-splits.json', import.meta.url), 'utf8'),
) as SklearnSplitsFixture;

/** The labels of the `large` case: `(i*i + 3*i) % 11 % 3`, as the recording script makes them. */
export function largeCaseLabels(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => ((i * i + 3 * i) % 11) % 3);
}

/** The same digest as the recording script's `digest`. */
export function digest(indices: readonly number[]): IndexDigest {
  let checksum = 0;
  indices.forEach((index, position) => {
    checksum = (checksum + (position + 1) * index) % 2147483647;
  });
  return {
    length: indices.length,
    head: indices.slice(0, 10),
    tail: indices.slice(-10),
    checksum,
  };
}

/** scikit-learn's `StratifiedKFold(5, shuffle=True, random_state=42)` test folds on Cleveland. */
export const clevelandCvFolds = JSON.parse(
  readFileSync(new URL('../__fixtures__/sklearn-cv-folds.json', import.meta.url), 'utf8'),
) as { source: string; test_index: number[][] };
