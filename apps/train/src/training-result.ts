import type { ClassificationReport } from '@heart/metrics';
import type { Pipeline } from '@heart/pipeline';
import type { RenderedChart } from '@heart/plots';
import type { ModelKind, SelectionMetric } from './options.js';
import type { RegistryOutcome } from './register.js';

/** The test metrics logged for every run (MLflow names). */
interface TestMetrics {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  roc_auc: number;
  pr_auc: number;
  log_loss: number;
  brier: number;
}

/** One model of a training session: fitted, evaluated, and (once logged) its MLflow run. */
export interface TrainedModel {
  kind: ModelKind;
  runName: string;
  /** Set once its MLflow run exists. */
  runId: string;
  pipeline: Pipeline;
  report: ClassificationReport;
  metrics: TestMetrics;
  cv: { rocAucMean: number; rocAucStd: number; folds: number[] };
  fitSeconds: number;
  /** Its own charts (confusion matrix, feature importance), rendering in the worker. */
  charts?: Promise<RenderedChart[]>;
}

/** What one training session did. */
export interface TrainResult {
  /** In the order the options name the models. */
  models: TrainedModel[];
  best: TrainedModel;
  selectMetric: SelectionMetric;
  experimentId: string;
  experimentName: string;
  trackingUri: string;
  modelDir: string;
  /** The registered version and what became of the alias. */
  registry: RegistryOutcome;
  data: { rows: number; positives: number; sha256: string; sites: string[] };
}
