import { MetricsError } from './errors.js';
import { assertInputs, readOptions } from './internal/validate.js';
import type { Labels, Scores } from './types.js';

/** Options for {@link logLoss}. */
export interface LogLossOptions {
  /** Probabilities are clipped to [eps, 1 − eps]. Default `1e-15` (scikit-learn 1.2; 1.3+ uses the float64 machine epsilon). */
  eps?: number;
}

/**
 * Mean negative log-likelihood of the labels under the predicted probabilities of class 1 —
 * scikit-learn's `log_loss` for a binary problem.
 *
 * @example
 * ```ts
 * logLoss([0, 1], [0.1, 0.8]); // 0.164…
 * ```
 */
export function logLoss(
  labels: Labels,
  probabilities: Scores,
  options: LogLossOptions = {},
): number {
  const { labels: y, scores: p } = assertInputs(labels, probabilities, 'logLoss', true);
  const eps = readOptions(options, 'logLoss').eps ?? 1e-15;
  if (typeof eps !== 'number' || !(eps > 0 && eps < 0.5)) {
    throw new MetricsError({
      code: 'INVALID_OPTION',
      message: `logLoss: eps must be in (0, 0.5), got ${String(eps)}`,
    });
  }
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const probability = Math.min(Math.max(p[i]!, eps), 1 - eps);
    sum -= y[i] === 1 ? Math.log(probability) : Math.log(1 - probability);
  }
  return sum / y.length;
}

/**
 * Mean squared difference between the predicted probability of class 1 and the label —
 * scikit-learn's `brier_score_loss`.
 *
 * @example
 * ```ts
 * brierScore([0, 1], [0.1, 0.8]); // 0.025
 * ```
 */
export function brierScore(labels: Labels, probabilities: Scores): number {
  const { labels: y, scores: p } = assertInputs(labels, probabilities, 'brierScore', true);
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += (y[i]! - p[i]!) ** 2;
  return sum / y.length;
}
