/**
 * Training stopped: the cause, the MLflow runs that were open and are now marked FAILED, and, when
 * it stopped after the runs were saved, what MLflow holds (so the message tells the whole truth).
 */
export class TrainingFailed extends Error {
  readonly failedRunIds: readonly string[];
  /** What was saved before the failure (`the runs … finished; heart-disease version 3 …`). */
  readonly saved: string | undefined;

  constructor(cause: unknown, failedRunIds: readonly string[], saved?: string) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'TrainingFailed';
    this.failedRunIds = failedRunIds;
    this.saved = saved;
  }
}

/** `; the open MLflow run(s) … is/are marked FAILED`, or `''` when none was. */
export function failedRunsClause(runIds: readonly string[]): string {
  if (runIds.length === 0) return '';
  const one = runIds.length === 1;
  return `; the open MLflow run${one ? '' : 's'} ${runIds.join(', ')} ${one ? 'is' : 'are'} marked FAILED`;
}
