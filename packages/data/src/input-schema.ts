import { COLUMN_SPECS, FEATURE_COLUMNS, type FeatureColumn } from './schema.js';

/** One feature as a model's raw input field (the shape `@heart/pipeline`'s `InputSchema` takes). */
export interface FeatureField {
  name: FeatureColumn;
  kind: 'numeric' | 'categorical';
  description: string;
  /** Allowed codes of a categorical field. */
  values?: readonly number[];
  min?: number;
  max?: number;
  /** May be `null` or absent. */
  nullable: boolean;
}

/**
 * The 13 feature columns as a model's input fields, with their UCI domains; `nullable` exactly
 * for the columns that had missing values in the data a model was trained on (pass the loaded
 * summary's `missing`): for Cleveland, `ca` and `thal`.
 *
 * @example
 * ```ts
 * const { rows, summary } = await loadDataset('data/raw/processed.cleveland.data');
 * featureFields(summary.missing).filter((field) => field.nullable); // ca, thal
 * ```
 */
export function featureFields(missing: Partial<Record<FeatureColumn, number>>): FeatureField[] {
  return FEATURE_COLUMNS.map((name) => {
    const spec = COLUMN_SPECS[name];
    return {
      name,
      kind: spec.kind,
      description: spec.description,
      ...(spec.values ? { values: spec.values } : {}),
      ...(spec.min === undefined ? {} : { min: spec.min }),
      ...(spec.max === undefined ? {} : { max: spec.max }),
      nullable: (missing[name] ?? 0) > 0,
    };
  });
}
