/** Training stopped: the cause, and the MLflow runs that were open and are now marked FAILED. */
export class TrainingFailed extends Error {
  readonly failedRunIds: readonly string[];

  constructor(cause: unknown, failedRunIds: readonly string[]) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'TrainingFailed';
    this.failedRunIds = failedRunIds;
  }
}
