import type { ParamValue } from '@heart/models';
import type { InputSchema } from './input-schema.js';

/**
 * What a training session knows about the pipeline it produced (all optional, all JSON): logged
 * with it and shown by a serving API's model card.
 */
export interface TrainingSummary {
  /** The MLflow run's name (`logistic-regression`). */
  runName?: string;
  /** The metric and value that selected this pipeline. */
  selection?: { metric: string; value: number };
  /** Test metrics, MLflow names (`roc_auc`, `accuracy`, …). */
  metrics?: Record<string, number>;
  /** Cross-validation on the training rows. */
  cv?: { rocAucMean: number; rocAucStd: number; folds: number[] };
  /** The classifier's hyperparameters. */
  params?: Record<string, ParamValue>;
  /** Where the run lives. */
  mlflow?: {
    trackingUri: string;
    experimentId?: string;
    experimentName?: string;
    runId: string;
    modelUri?: string;
  };
  /** The data it was trained on. */
  data?: { sha256: string; rows: number; positives: number; sites: string[]; source?: string[] };
  seed?: number;
  /** `sklearn` or `heart`: how the split and folds were drawn. */
  split?: string;
  testSize?: number;
  cvFolds?: number;
  /** Fit time of the final model, in seconds. */
  trainingSeconds?: number;
  /** ISO time the pipeline was trained. */
  createdAt?: string;
  /** One id per training session: every file it writes carries it. */
  trainingId?: string;
}

/** Everything a pipeline knows besides its fitted parts. */
export interface PipelineMetadata {
  /** Output features of the preprocessor, the classifier's inputs (`age`, …, `thal=7`). */
  featureNames: string[];
  /** The raw input fields, with which may be missing. */
  inputSchema: InputSchema;
  /** The labels behind `prediction` 0 and 1, and the probability's class (the second). */
  classLabels: [number, number];
  /** A probability ≥ `threshold` is class 1. */
  threshold: number;
  /** The classifier's kind (`random-forest`). */
  classifierKind: string;
  /** Versions of the libraries that trained it (`@heart/models`, `node`, …). */
  versions: Record<string, string>;
  training: TrainingSummary;
}
