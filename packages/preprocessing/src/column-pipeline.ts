import { PreprocessingError } from './errors.js';
import { check, readState } from './internal/json.js';
import { describe, toNumber } from './internal/matrix.js';
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
  #featureNames: string[] = [];
  /** For array rows: where each group's columns sit in {@link ColumnPipeline.inputColumns}. */
  readonly #positions: number[][];
  readonly #inputColumns: string[];

  constructor(options: ColumnPipelineOptions) {
    if (!options || !Array.isArray(options.groups) || options.groups.length === 0) {
      throw new PreprocessingError({
        code: 'INVALID_OPTION',
        message: 'ColumnPipeline: groups must be a non-empty array',
      });
    }
    const names = new Set<string>();
    for (const group of options.groups) {
      if (typeof group.name !== 'string' || group.name === '' || names.has(group.name)) {
        throw new PreprocessingError({
          code: 'INVALID_OPTION',
          message: `ColumnPipeline: every group needs a unique, non-empty name (got ${JSON.stringify(group.name)})`,
        });
      }
      names.add(group.name);
      if (
        !Array.isArray(group.columns) ||
        group.columns.length === 0 ||
        group.columns.some((column: unknown) => typeof column !== 'string')
      ) {
        throw new PreprocessingError({
          code: 'INVALID_OPTION',
          message: `ColumnPipeline: group "${group.name}" needs a non-empty list of column names`,
        });
      }
      if (!Array.isArray(group.steps)) {
        throw new PreprocessingError({
          code: 'INVALID_OPTION',
          message: `ColumnPipeline: group "${group.name}" needs a list of steps`,
        });
      }
    }
    this.groups = options.groups.map((group) => ({
      name: group.name,
      columns: [...group.columns],
      steps: [...group.steps],
    }));
    const input = [...new Set(this.groups.flatMap((group) => group.columns))];
    this.#inputColumns = input;
    this.#positions = this.groups.map((group) =>
      group.columns.map((column) => input.indexOf(column)),
    );
  }

  /** Every input column the pipeline reads, in group order, without repeats. */
  get inputColumns(): string[] {
    return [...this.#inputColumns];
  }

  /** Output column names (`age`, …, `thal=7`); available once fitted. */
  get featureNames(): string[] {
    this.#assertFitted();
    return [...this.#featureNames];
  }

  /** Learns every step from `rows`; returns `this`. */
  fit(rows: readonly (RecordRow | ArrayLike<unknown>)[]): this {
    this.fitTransform(rows);
    return this;
  }

  /** Fits, then returns the transformed rows. */
  fitTransform(rows: readonly (RecordRow | ArrayLike<unknown>)[]): Float64Array[] {
    const inputs = this.#readRows(rows, 'ColumnPipeline.fit');
    const outputs = this.groups.map((group, g) => {
      let matrix: Float64Array[] = inputs.map((row) => row[g]!);
      for (const step of group.steps) matrix = step.fitTransform(matrix);
      return matrix;
    });
    this.#fitted = true;
    this.#featureNames = this.#computeNames();
    return concatenate(outputs, rows.length);
  }

  /** Transforms rows with the fitted steps; validates every value first. */
  transform(rows: readonly (RecordRow | ArrayLike<unknown>)[]): Float64Array[] {
    this.#assertFitted();
    const inputs = this.#readRows(rows, 'ColumnPipeline.transform');
    return inputs.map((groups) => this.#transformGroups(groups));
  }

  /** Transforms one row (record or array) — the fast path for serving. */
  transformRow(row: RecordRow | ArrayLike<unknown>): Float64Array {
    this.#assertFitted();
    return this.#transformGroups(this.#readRow(row, 0, 'ColumnPipeline.transformRow'));
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
    try {
      pipeline.#featureNames = pipeline.#computeNames();
    } catch (error) {
      throw new PreprocessingError({
        code: 'INVALID_JSON',
        message: `column-pipeline: steps do not fit their columns (${(error as Error).message})`,
        cause: error,
      });
    }
    check(
      Array.isArray(state.featureNames) &&
        state.featureNames.length === pipeline.#featureNames.length &&
        state.featureNames.every((name, index) => name === pipeline.#featureNames[index]),
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

  #readRows(rows: readonly (RecordRow | ArrayLike<unknown>)[], what: string): Float64Array[][] {
    if (!Array.isArray(rows)) {
      throw new PreprocessingError({
        code: 'INVALID_INPUT',
        message: `${what}: expected an array of rows, got ${describe(rows)}`,
      });
    }
    if (rows.length === 0)
      throw new PreprocessingError({
        code: 'INVALID_INPUT',
        message: `${what}: expected at least one row`,
      });
    return rows.map((row, index) => this.#readRow(row, index, what));
  }

  /** Reads one row into one Float64Array per group (NaN for missing). */
  #readRow(row: RecordRow | ArrayLike<unknown>, index: number, what: string): Float64Array[] {
    if (row === null || typeof row !== 'object') {
      throw new PreprocessingError({
        code: 'INVALID_INPUT',
        message: `${what}: row ${index} is ${describe(row)}, expected a record or an array`,
      });
    }
    // Plain loops: this is the serving path (one row per request).
    const out = new Array<Float64Array>(this.groups.length);
    if (Array.isArray(row) || ArrayBuffer.isView(row)) {
      const values = row as ArrayLike<unknown>;
      if (values.length !== this.#inputColumns.length) {
        throw new PreprocessingError({
          code: 'SHAPE_MISMATCH',
          message: `${what}: row ${index} has ${values.length} values, expected ${this.#inputColumns.length} (${this.#inputColumns.join(', ')})`,
        });
      }
      for (let g = 0; g < this.groups.length; g++) {
        const columns = this.groups[g]!.columns;
        const positions = this.#positions[g]!;
        const group = new Float64Array(columns.length);
        for (let k = 0; k < columns.length; k++)
          group[k] = toNumber(values[positions[k]!], index, columns[k]!, what);
        out[g] = group;
      }
      return out;
    }
    const record = row as Readonly<Record<string, unknown>>;
    for (let g = 0; g < this.groups.length; g++) {
      const columns = this.groups[g]!.columns;
      const group = new Float64Array(columns.length);
      for (let k = 0; k < columns.length; k++) {
        const column = columns[k]!;
        const value = record[column];
        if (value === undefined && !Object.hasOwn(record, column)) {
          throw new PreprocessingError({
            code: 'MISSING_COLUMN',
            message: `${what}: row ${index} has no column "${column}"`,
          });
        }
        group[k] = toNumber(value, index, column, what);
      }
      out[g] = group;
    }
    return out;
  }
}

function concatenate(parts: Float64Array[][], rows: number): Float64Array[] {
  const out = new Array<Float64Array>(rows);
  for (let i = 0; i < rows; i++) out[i] = concatenateRow(parts.map((part) => part[i]!));
  return out;
}

function concatenateRow(parts: Float64Array[]): Float64Array {
  let width = 0;
  for (const part of parts) width += part.length;
  const out = new Float64Array(width);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
