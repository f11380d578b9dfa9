import type { Classifier, FitOptions } from '@heart/models';
import type { ColumnPipeline } from '@heart/preprocessing';
import { PipelineError } from './errors.js';
import {
  assertInputSchema,
  findInputProblems,
  type InputRecord,
  type InputSchema,
} from './input-schema.js';
import type { PipelineMetadata, TrainingSummary } from './metadata.js';
import { assertOptions } from './options.js';

/** A value `predictProbaRecords` cannot read: it takes records already checked against the schema. */
function notANumber(row: number, field: string, value: unknown): PipelineError {
  return new PipelineError({
    code: 'INVALID_INPUT',
    message: `Pipeline.predictProbaRecords: row ${row} field ${field} is ${typeof value}, expected a number or null (check records with predictProba first)`,
  });
}

/** Options for {@link Pipeline}. */
export interface PipelineOptions {
  /** The preprocessor, fitted or not (`fit` fits it). */
  preprocessor: ColumnPipeline;
  /** The classifier, fitted or not (`fit` fits it on the preprocessor's output). */
  classifier: Classifier;
  /** The raw input fields; every column the preprocessor reads must be in it. */
  inputSchema: InputSchema;
  /** A probability ≥ `threshold` is class 1. Default `0.5`. */
  threshold?: number;
  /** The labels behind predictions 0 and 1. Default `[0, 1]`. */
  classLabels?: [number, number];
  /** What training knows (metrics, run, data…). Default `{}`. */
  training?: TrainingSummary;
  /** Versions of the libraries in use. Default `{}`. */
  versions?: Record<string, string>;
}

/** Options for {@link Pipeline.fit}. */
export interface PipelineFitOptions {
  /** Called as the classifier makes progress (trees of a forest). */
  onProgress?: (done: number, total: number) => void;
}

/** The saved form of a {@link Pipeline}: `loadPipeline` reads it back. */
export interface PipelineJSON {
  kind: 'heart-pipeline';
  formatVersion: 1;
  preprocessor: ReturnType<ColumnPipeline['toJSON']>;
  classifier: ReturnType<Classifier['toJSON']>;
  metadata: PipelineMetadata;
}

/**
 * scikit-learn's `Pipeline` for heart: a preprocessor, a classifier and what is known about them
 * (input schema, class labels, threshold, training summary, versions) as one object — fitted
 * together, predicting on raw records, saved as one JSON. The one owner of the served model:
 * the MLflow signature, an API's request schema and its docs all derive from `inputSchema`.
 *
 * @example
 * ```ts
 * const pipeline = new Pipeline({
 *   preprocessor: createHeartPreprocessor(),
 *   classifier: new LogisticRegression(),
 *   inputSchema,
 * }).fit(trainRows, trainLabels);
 * pipeline.predictProbaRow({ age: 63, sex: 1, …, ca: null, thal: 6 }); // P(class 1)
 * const restored = loadPipeline(JSON.stringify(pipeline));
 * ```
 */
export class Pipeline {
  readonly kind = 'heart-pipeline';
  readonly preprocessor: ColumnPipeline;
  readonly classifier: Classifier;
  readonly inputSchema: InputSchema;
  readonly threshold: number;
  readonly classLabels: [number, number];
  /** What training knows; the train app fills it in after evaluation. */
  training: TrainingSummary;
  versions: Record<string, string>;
  readonly #nullable: string[];
  /** The transformed row of {@link Pipeline.predictProbaRow}, reused (made once per fit). */
  #row: Float64Array | undefined;

  constructor(options: PipelineOptions) {
    assertOptions(options, 'Pipeline', { preprocessor: true, classifier: true });
    assertInputSchema(options.inputSchema, 'Pipeline: inputSchema');
    const threshold = options.threshold ?? 0.5;
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new PipelineError({
        code: 'INVALID_OPTION',
        message: `Pipeline: threshold must be a number from 0 to 1, got ${threshold}`,
      });
    }
    const known = new Set(options.inputSchema.map((column) => column.name));
    const unknown = options.preprocessor.inputColumns.filter((column) => !known.has(column));
    if (unknown.length > 0) {
      throw new PipelineError({
        code: 'INVALID_OPTION',
        message: `Pipeline: the preprocessor reads ${unknown.join(', ')}, which the input schema does not name`,
      });
    }
    this.preprocessor = options.preprocessor;
    this.classifier = options.classifier;
    this.inputSchema = options.inputSchema;
    this.threshold = threshold;
    this.classLabels = options.classLabels ?? [0, 1];
    this.training = options.training ?? {};
    this.versions = options.versions ?? {};
    this.#nullable = options.inputSchema.filter((column) => column.nullable).map((c) => c.name);
  }

  /** Whether both parts are fitted. */
  get fitted(): boolean {
    try {
      return this.preprocessor.fitted && this.classifier.featureNames.length > 0;
    } catch {
      return false;
    }
  }

  /** The classifier's input features (the preprocessor's output names); once fitted. */
  get featureNames(): string[] {
    this.#assertFitted();
    return this.preprocessor.featureNames;
  }

  /** Fits the preprocessor on `records`, then the classifier on its output; returns `this`. */
  fit(
    records: readonly InputRecord[],
    labels: ArrayLike<number>,
    options: PipelineFitOptions = {},
  ): this {
    this.#assertRecords(records, 'fit');
    this.#row = undefined;
    const features = this.preprocessor.fitTransform(
      records.map((record) => this.#complete(record)),
    );
    const fitOptions: FitOptions & PipelineFitOptions = {
      featureNames: this.preprocessor.featureNames,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    };
    this.classifier.fit(features, labels, fitOptions);
    return this;
  }

  /** P(class 1) for each record; every record is checked against the input schema first. */
  predictProba(records: readonly InputRecord[]): Float64Array {
    this.#assertFitted();
    this.#assertRecords(records, 'predictProba');
    return this.classifier.predictProba(
      this.preprocessor.transform(records.map((record) => this.#complete(record))),
    );
  }

  /**
   * P(class 1) for one record, without the schema check: the serving fast path, for a record that
   * an API has already validated against {@link inputJsonSchema}.
   */
  predictProbaRow(record: InputRecord): number {
    this.#row ??= new Float64Array(this.preprocessor.featureNames.length);
    // The classifier reads the row and returns a number: one buffer serves every call.
    return this.classifier.predictProbaRow(
      this.preprocessor.transformRow(this.#complete(record), this.#row),
    );
  }

  /**
   * P(class 1) for records an API has already validated (no schema check), read column by column:
   * one `Float64Array` per input field (`NaN` where `null` or absent), the preprocessor's column
   * form, the classifier on one dense matrix. The same numbers as {@link predictProbaRow} for
   * each record, bit for bit, with a fraction of its allocations: the serving path for batches.
   */
  predictProbaRecords(records: readonly InputRecord[]): Float64Array {
    const count = records.length;
    const columns: Record<string, Float64Array> = {};
    // Only what the preprocessor reads (every one of them is in the input schema).
    for (const name of this.preprocessor.inputColumns) {
      const values = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const value = (records[i] as Record<string, unknown>)[name];
        if (typeof value === 'number') values[i] = value;
        else if (value === null || value === undefined) values[i] = Number.NaN;
        else throw notANumber(i, name, value);
      }
      columns[name] = values;
    }
    return this.predictProbaColumns(columns);
  }

  /**
   * P(class 1) for rows given as columns an API has already validated (no schema check): one
   * `Float64Array` per field the preprocessor reads, all of one length, `NaN` where a value is
   * missing — the form a columnar reader builds without a record per row. The same numbers as
   * {@link predictProbaRecords}, bit for bit.
   *
   * @example
   * ```ts
   * const p = pipeline.predictProbaColumns({ age: Float64Array.of(63, 41), …, thal: Float64Array.of(6, NaN) });
   * ```
   */
  predictProbaColumns(columns: Readonly<Record<string, Float64Array>>): Float64Array {
    this.#assertFitted();
    return this.classifier.predictProba(this.preprocessor.transformColumns(columns));
  }

  /** The record with its absent nullable fields as `null` (a copy, only when one is absent). */
  #complete(record: InputRecord): InputRecord {
    let complete = record;
    for (const name of this.#nullable) {
      if ((complete as Record<string, unknown>)[name] !== undefined) continue;
      if (complete === record) complete = { ...record };
      (complete as Record<string, unknown>)[name] = null;
    }
    return complete;
  }

  /** 0/1 for each record (probability ≥ `threshold`). */
  predict(records: readonly InputRecord[]): Uint8Array {
    const probabilities = this.predictProba(records);
    return Uint8Array.from(probabilities, (p) => (p >= this.threshold ? 1 : 0));
  }

  /** Everything besides the fitted parts. */
  get metadata(): PipelineMetadata {
    return {
      featureNames: this.featureNames,
      inputSchema: this.inputSchema.map((column) => ({ ...column })),
      classLabels: [...this.classLabels],
      threshold: this.threshold,
      classifierKind: this.classifier.kind,
      versions: { ...this.versions },
      training: { ...this.training },
    };
  }

  toJSON(): PipelineJSON {
    this.#assertFitted();
    return {
      kind: 'heart-pipeline',
      formatVersion: 1,
      preprocessor: this.preprocessor.toJSON(),
      classifier: this.classifier.toJSON(),
      metadata: this.metadata,
    };
  }

  #assertFitted(): void {
    if (!this.fitted) {
      throw new PipelineError({
        code: 'NOT_FITTED',
        message: 'Pipeline is not fitted: call fit() first, or load a saved one',
      });
    }
  }

  #assertRecords(records: readonly InputRecord[], what: string): void {
    if (!Array.isArray(records) || records.length === 0) {
      throw new PipelineError({
        code: 'INVALID_INPUT',
        message: `Pipeline.${what}: records must be a non-empty array`,
      });
    }
    const { problems, total } = findInputProblems(this.inputSchema, records, 10);
    if (total === 0) return;
    const listed = problems.map((p) => `row ${p.row}: ${p.field || 'record'} ${p.message}`);
    throw new PipelineError({
      code: 'INVALID_INPUT',
      message: `Pipeline.${what}: ${total} field${total === 1 ? '' : 's'} do not fit the input schema: ${listed.join('; ')}${total > listed.length ? `; and ${total - listed.length} more` : ''}`,
    });
  }
}
