import { randomUUID } from 'node:crypto';
import type { CreateRunRequest } from '../tracking-store.js';
import type { Run, RunStatus } from '../types.js';
import { API } from './api-paths.js';
import type { Transport } from './transport.js';
import { parseRun } from './wire.js';

/** The run tag that makes a retried `runs/create` safe: the client's id for the run it asked for. */
const CLIENT_RUN_ID_TAG = 'heart.client_run_id';

/**
 * `runs/create` without duplicate ("twin") runs. The run carries a client-generated id tag, and
 * before a retry the store looks for a run with that tag (the first attempt may have created it
 * and lost the answer). An attempt still in flight when the retry looked (it timed out on the way)
 * can create a twin later; ending the run deletes any twin. So a flaky network never leaves two
 * runs behind.
 */
export class TwinRuns {
  readonly #transport: Transport;
  /** Runs whose `runs/create` was retried, so a late first attempt may have made a twin. */
  readonly #retried = new Map<string, { experimentId: string; clientRunId: string }>();

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** `runs/create`, safe to retry. */
  async createRun(request: CreateRunRequest): Promise<Run> {
    const clientRunId = randomUUID().replaceAll('-', '');
    let retried = false;
    const body = JSON.stringify({
      experiment_id: request.experimentId,
      user_id: request.userId,
      run_name: request.runName,
      start_time: request.startTime,
      tags: [...request.tags, { key: CLIENT_RUN_ID_TAG, value: clientRunId }],
    });
    const answer = await this.#transport.call({
      method: 'POST',
      path: `${API}/runs/create`,
      endpoint: 'runs/create',
      json: body,
      beforeRetry: async () => {
        retried = true;
        const runs = await this.#runsTagged(request.experimentId, clientRunId);
        return runs.length > 0 ? { run: runs[0] } : undefined;
      },
    });
    const run = parseRun((answer as { run?: unknown }).run);
    // An attempt that timed out may still reach the server later and create a twin: ending the
    // run deletes any run that carries the same client id.
    if (retried)
      this.#retried.set(run.info.runId, { experimentId: request.experimentId, clientRunId });
    return run;
  }

  /** Deletes the twins of a run whose creation was retried, once it ends (`status` not running). */
  async deleteTwins(runId: string, status: RunStatus): Promise<void> {
    const twins = this.#retried.get(runId);
    if (!twins || status === 'RUNNING' || status === 'SCHEDULED') return;
    for (const twin of await this.#runsTagged(twins.experimentId, twins.clientRunId)) {
      const twinId = parseRun(twin).info.runId;
      if (twinId !== runId) await this.#transport.postJson('runs/delete', { run_id: twinId });
    }
    this.#retried.delete(runId);
  }

  async #runsTagged(experimentId: string, clientRunId: string): Promise<unknown[]> {
    const found = (await this.#transport.call({
      method: 'POST',
      path: `${API}/runs/search`,
      endpoint: 'runs/search',
      json: JSON.stringify({
        experiment_ids: [experimentId],
        filter: `tags.\`${CLIENT_RUN_ID_TAG}\` = '${clientRunId}'`,
        run_view_type: 'ACTIVE_ONLY',
        max_results: 100,
      }),
    })) as { runs?: unknown[] };
    return found.runs ?? [];
  }
}
