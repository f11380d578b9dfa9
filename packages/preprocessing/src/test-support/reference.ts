import { readFileSync } from 'node:fs';
import { fixturePath } from '@heart/test-support';

/** scikit-learn 1.2.1's answers on the Cleveland data. */
export interface SklearnBaseline {
  split: { train_index: number[]; test_index: number[] };
  fitted_preprocessor: {
    numeric_features: string[];
    categorical_features: string[];
    median: Record<string, number>;
    scaler_mean: Record<string, number>;
    scaler_scale: Record<string, number>;
    most_frequent: Record<string, number>;
    onehot_categories: Record<string, number[]>;
    feature_names_out: string[];
  };
}

export const baseline = JSON.parse(
  readFileSync(fixturePath('reference/sklearn-baseline.json'), 'utf8'),
) as SklearnBaseline;

export const CLEVELAND_FILE = fixturePath('data/uci-heart-disease/processed.cleveland.data');

/** `num__age` → `age`, `cat__thal_7.0` → `thal=7`. */
export function fromSklearnName(name: string): string {
  const numeric = /^num__(.+)$/.exec(name);
  if (numeric) return numeric[1]!;
  const categorical = /^cat__(.+)_(-?[\d.]+)$/.exec(name);
  if (categorical) return `${categorical[1]}=${Number(categorical[2])}`;
  throw new Error(`unexpected scikit-learn feature name ${name}`);
}
