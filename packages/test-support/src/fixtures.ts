import { resolve } from 'node:path';

/**
 * The repository's own copies of the files the tests read, byte for byte as in the workplace's
 * shared reference folder (see `fixtures/README.md` for what each is and where it comes from).
 */
export const FIXTURES_DIR = resolve(import.meta.dirname, '../fixtures');

/** The UCI Heart Disease files (CC BY 4.0), for tests only: train downloads its own copy. */
export const UCI_DIR = resolve(FIXTURES_DIR, 'data/uci-heart-disease');

/** The recordings and trees of a real MLflow 2.17.2 (`mlflow/golden/` of the shared folder). */
export const MLFLOW_GOLDEN_DIR = resolve(FIXTURES_DIR, 'mlflow/golden');

/** scikit-learn 1.2.1's answers on the Cleveland data and on generated metric cases. */
export const REFERENCE_DIR = resolve(FIXTURES_DIR, 'reference');

/**
 * The path of one fixture file below `fixtures/`.
 *
 * @example
 * ```ts
 * const cleveland = fixturePath('data/uci-heart-disease/processed.cleveland.data');
 * ```
 */
export function fixturePath(relative: string): string {
  return resolve(FIXTURES_DIR, relative);
}
