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
