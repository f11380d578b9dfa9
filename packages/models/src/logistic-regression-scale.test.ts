import { readFileSync } from 'node:fs';
import { loadDataset } from '@heart/data';
import { createHeartPreprocessor } from '@heart/preprocessing';
import { fixturePath } from '@heart/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { LogisticRegression } from './logistic-regression.js';
import { fromSklearnName } from './test-support/heart-data.js';

/** scikit-learn 1.2.1 on Cleveland × 10 (scripts/record-sklearn-lr.py). */
interface Fitted {
  coef: Record<string, number>;
  intercept: number;
  proba_first_10: number[];
}
const reference = JSON.parse(
  readFileSync(new URL('./__fixtures__/sklearn-lr-replicated.json', import.meta.url), 'utf8'),
) as { exact: Fitted; lbfgs: Fitted };

let features: Float64Array[];
let labels: number[];
let names: string[];
beforeAll(async () => {
  const { rows } = await loadDataset(
    fixturePath('data/uci-heart-disease/processed.cleveland.data'),
  );
  const replicated = Array.from({ length: 10 }, () => rows).flat();
  const preprocessor = createHeartPreprocessor();
  features = preprocessor.fitTransform(replicated);
  labels = replicated.map((row) => row.target);
  names = preprocessor.featureNames;
});

describe('LogisticRegression on 3,030 rows (Cleveland × 10) against scikit-learn', () => {
  it("finds scikit-learn's exact optimum to 1e-4 relative with the default tol", () => {
    const model = new LogisticRegression().fit(features, labels, { featureNames: names });
    for (const [name, expected] of Object.entries(reference.exact.coef)) {
      const actual = model.coefficients[names.indexOf(fromSklearnName(name))]!;
      expect(Math.abs(actual - expected) / Math.abs(expected), name).toBeLessThan(1e-4);
    }
    const intercept = reference.exact.intercept;
    expect(Math.abs(model.intercept - intercept) / Math.abs(intercept)).toBeLessThan(1e-4);
    expect(model.fitInfo).toMatchObject({ solver: 'newton-cholesky', converged: true });
    expect(Object.keys(model.fitInfo).sort()).toEqual(
      ['converged', 'gradientMax', 'iterations', 'objective', 'solver'].sort(),
    );
  });

  it("gives lbfgs's probabilities to 1e-4 (its coefficients differ along the one-hot columns' flat directions)", () => {
    const model = new LogisticRegression().fit(features, labels);
    const probabilities = model.predictProba(features.slice(0, 10));
    reference.lbfgs.proba_first_10.forEach((expected, i) => {
      expect(Math.abs(probabilities[i]! - expected)).toBeLessThan(1e-4);
    });
  });

  it('fits a dense row-major matrix to the same bits as the rows', () => {
    const width = features[0]!.length;
    const data = new Float64Array(features.length * width);
    features.forEach((row, i) => {
      data.set(row, i * width);
    });
    const dense = { data, rows: features.length, columns: width };
    const fromRows = new LogisticRegression().fit(features, labels);
    const fromDense = new LogisticRegression().fit(dense, labels);
    expect(fromDense.coefficients).toEqual(fromRows.coefficients);
    expect(fromDense.intercept).toBe(fromRows.intercept);
    expect(fromDense.predictProba(dense)).toEqual(fromRows.predictProba(features));
  });

  it('refuses a dense matrix whose shape does not match its data', () => {
    const lr = new LogisticRegression();
    expect(() => lr.fit({ data: new Float64Array(5), rows: 2, columns: 3 }, [0, 1])).toThrow(
      /rows × columns = data.length/,
    );
    expect(() =>
      lr.fit({ data: Float64Array.of(1, Number.NaN), rows: 2, columns: 1 }, [0, 1]),
    ).toThrow('row 1 feature 0 is NaN');
  });
});
