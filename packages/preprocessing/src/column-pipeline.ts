import type { ColumnInput, DenseMatrix } from './dense-matrix.js';
import { PreprocessingError } from './errors.js';
import { fitColumnGroups, readColumns, transformColumnGroups } from './internal/column-form.js';
import { readColumnGroups } from './internal/column-groups.js';
import { concatenate, concatenateRow } from './internal/concatenate.js';
import { check, readState } from './internal/json.js';
import { type RowLayout, readRow, readRows, rowLayout } from './internal/read-rows.js';
import { type RowPlan, rowPlan, runRowPlan } from './internal/row-plan.js';
import { loadTransformer } from './load-transformer.js';
import type { Transformer, TransformerJSON } from './transformer.js';

/** One set of input columns and the steps applied to them in order. */
export interface ColumnGroup {
  /** A name for the group (`'num'`, `'cat'`), as in scikit-learn's ColumnTransformer. */
  name: string;
  /** Input column names, in order. */
  columns: readonly string[];
  /** Unfitted transformers, applied in order (a scikit-learn Pipeline). */
  steps: readonly Transformer[];
}

/** Options for {@link ColumnPipeline}. */
export interface ColumnPipelineOptions {
  /** The groups; their outputs are concatenated in this order. Other input columns are dropped. */
  groups: readonly ColumnGroup[];
}

/**
 * A record of named values (any object: a plain object, an interface-typed row); `null` or `NaN`
 * mean missing. Keys the pipeline does not read are ignored.
 */
export type RecordRow = object;

/** The saved form of a fitted {@link ColumnPipeline}. */
export interface ColumnPipelineJSON {
  kind: 'column-pipeline';
  formatVersion: 1;
  groups: { name: string; columns: string[]; steps: TransformerJSON[] }[];
  /** Output column names, in order. */
  featureNames: string[];
}

/**
 * scikit-learn's `ColumnTransformer` of `Pipeline`s over named columns: each group picks its
 * columns from every row, runs its steps, and the outputs are concatenated. Rows are records
 * (`{ age: 63, ca: null, … }`, extra keys ignored) or arrays in {@link ColumnPipeline.inputColumns}
 * order. Saves to and loads from plain JSON (`models/preprocessor.json`).
 *
 * @example
 * ```ts
 * const pipeline = createHeartPreprocessor();
 * const features = pipeline.fitTransform(trainRows); // Float64Array[] of 28 columns
 * pipeline.featureNames; // ['age', …, 'thal=7']
 * const restored = ColumnPipeline.load(JSON.parse(JSON.stringify(pipeline)));
 * ```
 */
export class ColumnPipeline {
  readonly kind = 'column-pipeline';
  readonly groups: readonly ColumnGroup[];
  #fitted = false;
  /** Where each group's columns are in a row. */
  readonly #layout: RowLayout;
  /** The one-row transform's buffers, made on its first call after a fit or load. */
  #plan: RowPlan | undefined;

  constructor(options: ColumnPipelineOptions) {
    this.groups = readColumnGroups(options);
    this.#layout = rowLayout(this.groups);
  }

  /** Every input column the pipeline reads, in group order, without repeats. */
  get inputColumns(): string[] {
    return [...this.#layout.inputColumns];
  }

  /** Whether `fit`, `fitColumns` or `load` has run (cheap: {@link featureNames} asks every step). */
  get fitted(): boolean {
    return this.#fitted;
  }

  /**
   * Output column names (`age`, …, `thal=7`); available once fitted. Asked of the steps each time,
   * as scikit-learn's `get_feature_names_out`: a step refit behind the pipeline (directly, or
   * through another pipeline that shares it) shows at once.
   */
  get featureNames(): string[] {
    this.#assertFitted();
    return this.#computeNames();
  }

  /** Learns every step from `rows`; returns `this`. */
  fit(rows: readonly (RecordRow | ArrayLike<unknown>)[]): this {
    this.fitTransform(rows);
    return this;
  }

  /** Fits, then returns the transformed rows. */
  fitTransform(rows: readonly (RecordRow | ArrayLike<unknown>)[]): Float64Array[] {
    const inputs = readRows(this.#layout, rows, 'ColumnPipeline.fit');
    const outputs = this.groups.map((group, g) => {
      let matrix: Float64Array[] = inputs.map((row) => row[g]!);
      for (const step of group.steps) matrix = step.fitTransform(matrix);
      return matrix;
    });
    this.#fitted = true;
    this.#plan = undefined;
    return concatenate(outputs, rows.length);
  }

  /** Transforms rows with the fitted steps; validates every value first. */
  transform(rows: readonly (RecordRow | ArrayLike<unknown>)[]): Float64Array[] {
    this.#assertFitted();
    const inputs = readRows(this.#layout, rows, 'ColumnPipeline.transform');
    return inputs.map((groups) => this.#transformGroups(groups));
  }

  /**
   * Learns every step from columns (one array per input column, `NaN` or `null` for missing):
   * the same fitted state as `fit` on the same rows, without a JS object per row.
   */
  fitColumns(columns: ColumnInput): this {
    const input = readColumns(this.groups, columns, 'ColumnPipeline.fitColumns');
    fitColumnGroups(this.groups, input.columns);
    this.#fitted = true;
    this.#plan = undefined;
    return this;
  }

  /**
   * Transforms columns into one row-major {@link DenseMatrix} (the same numbers as `transform`
   * on the same rows), 8,192 rows at a time: memory is the output plus small blocks.
   *
   * @example
   * ```ts
   * const { columns } = await streamDataset({ paths: 'big.data' }); // @heart/data
   * const features = createHeartPreprocessor().fitTransformColumns(columns);
   * new LogisticRegression().fit(features, target); // @heart/models takes the matrix as is
   * ```
   */
  transformColumns(columns: ColumnInput): DenseMatrix {
    this.#assertFitted();
    const input = readColumns(this.groups, columns, 'ColumnPipeline.transformColumns');
    return transformColumnGroups(this.groups, input.columns, input.rows);
  }

  /** {@link ColumnPipeline.fitColumns}, then {@link ColumnPipeline.transformColumns}. */
  fitTransformColumns(columns: ColumnInput): DenseMatrix {
    return this.fitColumns(columns).transformColumns(columns);
  }

  /**
   * Transforms one row (record or array) — the fast path for serving. Into `out` when given (its
   * length must be the number of output features; it is returned): with the built-in steps, a
   * row is then transformed without allocating anything.
   *
   * @example
   * ```ts
   * const buffer = new Float64Array(pipeline.featureNames.length);
   * for (const patient of patients) forest.predictProbaRow(pipeline.transformRow(patient, buffer));
   * ```
   */
  transformRow(row: RecordRow | ArrayLike<unknown>, out?: Float64Array): Float64Array {
    this.#assertFitted();
    // A plan whose steps now write other widths (one was refit directly, or is shared with a
    // pipeline that refit it) is made again, once: the numbers are always transform's.
    for (let attempt = 0; ; attempt++) {
      this.#plan ??= rowPlan(this.groups);
      const plan = this.#plan;
      const fits = out === undefined || (out instanceof Float64Array && out.length === plan.width);
      if (!fits && attempt > 0) {
        throw new PreprocessingError({
          code: 'SHAPE_MISMATCH',
          message: `ColumnPipeline.transformRow: out must be a Float64Array of ${plan.width} values`,
        });
      }
      if (fits) {
        readRow(this.#layout, row, 0, 'ColumnPipeline.transformRow', plan.inputs);
        const target = out ?? new Float64Array(plan.width);
        if (runRowPlan(plan, this.groups, target)) return target;
      }
      this.#plan = undefined;
      if (fits && attempt > 0) {
        throw new PreprocessingError({
          code: 'SHAPE_MISMATCH',
          message:
            "ColumnPipeline.transformRow: a step's transformRowInto did not return the number of values its featureNamesOut names",
        });
      }
    }
  }

  toJSON(): ColumnPipelineJSON {
    this.#assertFitted();
    return {
      kind: this.kind,
      formatVersion: 1,
      groups: this.groups.map((group) => ({
        name: group.name,
        columns: [...group.columns],
        steps: group.steps.map((step) => step.toJSON()),
      })),
      featureNames: this.featureNames,
    };
  }

  /**
   * Rebuilds a fitted pipeline from {@link ColumnPipeline.toJSON}'s output (object or JSON text);
   * refuses an unknown `kind`/`formatVersion`, unknown step kinds and inconsistent feature names.
   */
  static load(json: unknown): ColumnPipeline {
    const state = readState<ColumnPipelineJSON>(json, 'column-pipeline', 1);
    check(
      Array.isArray(state.groups) && state.groups.length > 0,
      state.kind,
      'groups must be a non-empty array',
    );
    const groups = state.groups.map((group, index) => {
      check(
        group && typeof group === 'object' && Array.isArray(group.steps),
        state.kind,
        `group ${index} is malformed`,
      );
      return {
        name: group.name,
        columns: group.columns,
        steps: group.steps.map((step) => loadTransformer(step)),
      };
    });
    const pipeline = new ColumnPipeline({ groups });
    pipeline.#fitted = true;
    let names: string[];
    try {
      names = pipeline.#computeNames();
    } catch (error) {
      throw new PreprocessingError({
        code: 'INVALID_JSON',
        message: `column-pipeline: steps do not fit their columns (${(error as Error).message})`,
        cause: error,
      });
    }
    check(
      Array.isArray(state.featureNames) &&
        state.featureNames.length === names.length &&
        state.featureNames.every((name, index) => name === names[index]),
      state.kind,
      'featureNames do not match what the steps produce',
    );
    return pipeline;
  }

  #assertFitted(): void {
    if (!this.#fitted) {
      throw new PreprocessingError({
        code: 'NOT_FITTED',
        message: 'ColumnPipeline is not fitted: call fit() first',
      });
    }
  }

  #computeNames(): string[] {
    return this.groups.flatMap((group) => {
      let names = [...group.columns];
      for (const step of group.steps) names = step.featureNamesOut(names);
      return names;
    });
  }

  #transformGroups(groups: Float64Array[]): Float64Array {
    const parts = new Array<Float64Array>(groups.length);
    for (let g = 0; g < groups.length; g++) {
      let values = groups[g]!;
      for (const step of this.groups[g]!.steps) values = step.transformRow(values);
      parts[g] = values;
    }
    return concatenateRow(parts);
  }
}
