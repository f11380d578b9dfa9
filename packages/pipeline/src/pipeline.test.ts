import { LogisticRegression } from '@heart/models';
import { createHeartPreprocessor } from '@heart/preprocessing';
import { describe, expect, it } from 'vitest';
import type { InputRecord } from './input-schema.js';
import { loadPipeline } from './load-pipeline.js';
import { Pipeline } from './pipeline.js';
import { cleveland, fittedPipeline, heartInputSchema, thrown } from './test-support/heart.js';

describe('Pipeline', () => {
  it('predicts on raw records exactly as its preprocessor and classifier composed', async () => {
    const { pipeline, test } = await fittedPipeline('rf');
    const direct = pipeline.classifier.predictProba(pipeline.preprocessor.transform(test));
    expect(Array.from(pipeline.predictProba(test))).toEqual(Array.from(direct));
    // Row by row (one reused buffer inside): every row's own number.
    expect(test.map((record) => pipeline.predictProbaRow(record))).toEqual(Array.from(direct));
    expect(Array.from(pipeline.predict(test))).toEqual(
      Array.from(direct, (p) => (p >= 0.5 ? 1 : 0)),
    );
  });

  it('predictProbaRow follows a refit that changes the number of features', async () => {
    const { pipeline, train, test } = await fittedPipeline('lr');
    expect(pipeline.predictProbaRow(test[0]!)).toBe(pipeline.predictProba([test[0]!])[0]);
    // Only two chest-pain types: two one-hot columns fewer.
    const narrow = train.filter((row) => row.cp === 3 || row.cp === 4);
    pipeline.fit(
      narrow,
      narrow.map((row) => row.target),
    );
    expect(pipeline.featureNames).toHaveLength(26);
    expect(pipeline.predictProbaRow(test[0]!)).toBe(pipeline.predictProba([test[0]!])[0]);
  });

  it("predictProbaRecords: the column path gives predictProbaRow's numbers bit for bit, missing values included", async () => {
    for (const kind of ['rf', 'lr'] as const) {
      const { pipeline, test } = await fittedPipeline(kind);
      const records: InputRecord[] = test.map((record, i) =>
        i % 3 === 0 ? { ...record, ca: null } : i % 3 === 1 ? { ...record, thal: null } : record,
      );
      const { ca: _ca, ...absent } = test[0]!;
      records.push(absent);
      const rows = records.map((record) => pipeline.predictProbaRow(record));
      expect(Array.from(pipeline.predictProbaRecords(records))).toEqual(rows);
    }
    const { pipeline, test } = await fittedPipeline('lr');
    // The same rows as columns (NaN for missing): the same numbers; a short column is refused.
    const columns = Object.fromEntries(
      pipeline.inputSchema.map((field) => [
        field.name,
        Float64Array.from(
          test,
          (record) =>
            (record as unknown as Record<string, number | null>)[field.name] ?? Number.NaN,
        ),
      ]),
    );
    expect(Array.from(pipeline.predictProbaColumns(columns))).toEqual(
      Array.from(pipeline.predictProbaRecords(test)),
    );
    expect(() => pipeline.predictProbaColumns({ ...columns, age: new Float64Array(1) })).toThrow();
    const error = thrown(() => pipeline.predictProbaRecords([{ ...test[0]!, age: '63' as never }]));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/row 0 field age is string/);
  });

  it('saves as one JSON object and loads back to the same predictions and metadata', async () => {
    const { pipeline, test } = await fittedPipeline('lr');
    pipeline.training = { runName: 'logistic-regression', metrics: { roc_auc: 0.96645 } };
    const text = JSON.stringify(pipeline);
    const restored = loadPipeline(text);
    expect(Array.from(restored.predictProba(test))).toEqual(
      Array.from(pipeline.predictProba(test)),
    );
    expect(restored.metadata).toEqual(pipeline.metadata);
    expect(restored.metadata.training.metrics).toEqual({ roc_auc: 0.96645 });
    expect(JSON.stringify(restored)).toBe(text);
  });

  it('knows which fields may be missing: those missing in the data it was trained on', async () => {
    const { pipeline } = await fittedPipeline('lr');
    expect(pipeline.inputSchema.filter((c) => c.nullable).map((c) => c.name)).toEqual([
      'ca',
      'thal',
    ]);
    const { ca: _ca, thal: _thal, ...without } = (await fittedPipeline('lr')).test[0]!;
    const asNull = { ...without, ca: null, thal: null };
    expect(pipeline.predictProbaRow(without)).toBe(pipeline.predictProbaRow(asNull));
    expect(Array.from(pipeline.predictProba([without]))).toEqual([
      pipeline.predictProbaRow(asNull),
    ]);
    expect(without).not.toHaveProperty('ca');
  });

  it('refuses records that do not fit the input schema, naming row and field', async () => {
    const { pipeline, test } = await fittedPipeline('lr');
    const error = thrown(() =>
      pipeline.predictProba([
        test[0]!,
        { ...test[1]!, age: null, cp: 9 },
        { ...test[2]!, chol: 'x' },
      ]),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('3 fields do not fit the input schema');
    expect(error.message).toContain('row 1: age is required');
    expect(error.message).toContain('row 1: cp must be one of 1, 2, 3, 4, got 9');
    expect(error.message).toContain('row 2: chol must be a finite number');
    expect(thrown(() => pipeline.predictProba([])).code).toBe('INVALID_INPUT');
  });

  it('refuses to predict or save before fit, and a preprocessor reading unknown fields', async () => {
    const { missing } = await cleveland();
    const unfitted = new Pipeline({
      preprocessor: createHeartPreprocessor(),
      classifier: new LogisticRegression(),
      inputSchema: heartInputSchema(missing),
    });
    expect(unfitted.fitted).toBe(false);
    expect(thrown(() => unfitted.toJSON()).code).toBe('NOT_FITTED');
    expect(thrown(() => unfitted.predictProba([{}])).code).toBe('NOT_FITTED');
    const narrow = heartInputSchema(missing).filter((column) => column.name !== 'thal');
    const error = thrown(
      () =>
        new Pipeline({
          preprocessor: createHeartPreprocessor(),
          classifier: new LogisticRegression(),
          inputSchema: narrow,
        }),
    );
    expect(error.message).toContain(
      'the preprocessor reads thal, which the input schema does not name',
    );
    expect(
      thrown(
        () =>
          new Pipeline({
            preprocessor: createHeartPreprocessor(),
            classifier: new LogisticRegression(),
            inputSchema: heartInputSchema(missing),
            threshold: 2,
          }),
      ).code,
    ).toBe('INVALID_OPTION');
  });
});
