import { countConfusion } from './confusion-matrix.js';
import {
  type PrecisionRecallCurve,
  precisionRecallCurve,
  type RocCurve,
  rocCurve,
} from './curves.js';
import { averagePrecisionOf, rankingCurve, rocAreaOf } from './internal/ranking.js';
import { f1Of, precisionOf, recallOf } from './internal/rates.js';
import {
  assertBothClasses,
  assertInputs,
  readFlag,
  readOptions,
  readThreshold,
} from './internal/validate.js';
import { brierScore, logLoss } from './probability-metrics.js';
import type { Labels, Scores } from './types.js';

/** Options for {@link classificationReport}. */
export interface ClassificationReportOptions {
  /** A probability ≥ `threshold` is predicted positive. Default `0.5`. */
  threshold?: number;
  /** Also return the ROC and precision–recall curves. Default `false`. */
  includeCurves?: boolean;
}

/** Every metric of a binary classifier's predicted probabilities, as plain data. */
export interface ClassificationReport {
  threshold: number;
  support: { total: number; positives: number; negatives: number };
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  rocAuc: number;
  averagePrecision: number;
  logLoss: number;
  brierScore: number;
  confusionMatrix: { tn: number; fp: number; fn: number; tp: number };
  curves?: { roc: RocCurve; precisionRecall: PrecisionRecallCurve };
}

/**
 * All metrics at once for labels and predicted probabilities of class 1: a plain object ready to
 * log or serialise. Needs both classes (ROC AUC is undefined otherwise).
 *
 * @example
 * ```ts
 * const report = classificationReport(labels, probabilities);
 * console.log(report.rocAuc, report.f1, report.confusionMatrix);
 * ```
 */
export function classificationReport(
  labels: Labels,
  probabilities: Scores,
  options: ClassificationReportOptions = {},
): ClassificationReport {
  const checked = assertInputs(labels, probabilities, 'classificationReport', true);
  const total = labels.length;
  assertBothClasses(checked.positives, total, 'The classification report (ROC AUC)');
  const given = readOptions(options, 'classificationReport');
  const threshold = readThreshold(given.threshold, 'classificationReport');
  const includeCurves = readFlag(
    given.includeCurves,
    'includeCurves',
    false,
    'classificationReport',
  );
  const counts = countConfusion(checked.labels, checked.scores, threshold);
  const curve = rankingCurve(checked.labels, checked.scores, checked.positives);
  const report: ClassificationReport = {
    threshold,
    support: { total, positives: checked.positives, negatives: total - checked.positives },
    accuracy: (counts.tn + counts.tp) / total,
    precision: precisionOf(counts),
    recall: recallOf(counts),
    f1: f1Of(counts),
    rocAuc: rocAreaOf(curve),
    averagePrecision: averagePrecisionOf(curve),
    logLoss: logLoss(checked.labels, checked.scores),
    brierScore: brierScore(checked.labels, checked.scores),
    confusionMatrix: { tn: counts.tn, fp: counts.fp, fn: counts.fn, tp: counts.tp },
  };
  if (includeCurves) {
    report.curves = {
      roc: rocCurve(checked.labels, checked.scores),
      precisionRecall: precisionRecallCurve(checked.labels, checked.scores),
    };
  }
  return report;
}
