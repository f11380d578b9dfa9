import { ownField } from '@heart/internal';
import type { Classifier } from '@heart/models';
import { findInputProblems, type InputRecord, Pipeline } from '@heart/pipeline';
import {
  ColumnPipeline,
  OneHotEncoder,
  SimpleImputer,
  StandardScaler,
  type Transformer,
} from '@heart/preprocessing';
import { TuningError } from '../errors.js';

/** True for a `@heart/pipeline` Pipeline (by its kind: any copy of the package). */
export function isPipeline(value: unknown): value is Pipeline {
  return (value as { kind?: unknown } | null)?.kind === 'heart-pipeline';
}

/** An unfitted copy of a transformer, from its options (scikit-learn's `clone`). */
function cloneStep(step: Transformer): Transformer {
  if (step instanceof SimpleImputer || step.kind === 'simple-imputer') {
    const imputer = step as SimpleImputer;
    return new SimpleImputer({ strategy: imputer.strategy, fillValue: imputer.fillValue });
  }
  if (step instanceof StandardScaler || step.kind === 'standard-scaler') {
    const scaler = step as StandardScaler;
    return new StandardScaler({ withMean: scaler.withMean, withStd: scaler.withStd });
  }
  if (step instanceof OneHotEncoder || step.kind === 'one-hot-encoder') {
    return new OneHotEncoder({ handleUnknown: (step as OneHotEncoder).handleUnknown });
  }
  throw new TuningError({
    code: 'INVALID_OPTION',
    message: `estimator: cannot copy a preprocessing step of kind ${JSON.stringify(step.kind)} (known: simple-imputer, standard-scaler, one-hot-encoder)`,
  });
}

/** An unfitted copy of a column pipeline: the same groups and columns, fresh steps. */
export function clonePreprocessor(preprocessor: ColumnPipeline): ColumnPipeline {
  return new ColumnPipeline({
    groups: preprocessor.groups.map((group) => ({
      name: group.name,
      columns: [...group.columns],
      steps: group.steps.map(cloneStep),
    })),
  });
}

/**
 * Checks records against the pipeline's input schema (as `Pipeline.fit` does) and returns them
 * with absent nullable fields as `null`.
 */
export function completeRecords(
  pipeline: Pipeline,
  records: readonly InputRecord[],
): InputRecord[] {
  if (!Array.isArray(records) || records.length === 0) {
    throw new TuningError({ code: 'INVALID_INPUT', message: 'records must be a non-empty array' });
  }
  const { problems, total } = findInputProblems(pipeline.inputSchema, records, 10);
  if (total > 0) {
    const listed = problems.map((p) => `row ${p.row}: ${p.field || 'record'} ${p.message}`);
    throw new TuningError({
      code: 'INVALID_INPUT',
      message: `records: ${total} field${total === 1 ? '' : 's'} do not fit the input schema: ${listed.join('; ')}`,
    });
  }
  const nullable = pipeline.inputSchema.filter((column) => column.nullable).map((c) => c.name);
  return records.map((record) => {
    const absent = nullable.filter((name) => ownField(record, name) === undefined);
    if (absent.length === 0) return record;
    return { ...record, ...Object.fromEntries(absent.map((name) => [name, null])) };
  });
}

/** The template pipeline with a fresh preprocessor and `classifier`: what the search refits. */
export function rebuildPipeline(template: Pipeline, classifier: Classifier): Pipeline {
  return new Pipeline({
    preprocessor: clonePreprocessor(template.preprocessor),
    classifier,
    inputSchema: template.inputSchema,
    threshold: template.threshold,
    classLabels: [...template.classLabels],
    training: { ...template.training },
    versions: { ...template.versions },
  });
}
