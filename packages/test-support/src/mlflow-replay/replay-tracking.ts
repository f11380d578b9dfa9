import { randomBytes } from 'node:crypto';
import { type Answer, errorAnswer, notFound } from './answers.js';
import { pythonJsonDumps } from './python-json.js';
import type { RecordedAnswers } from './recorded-answers.js';
import { type ArtifactMap, listThroughTracking } from './replay-artifacts.js';
import { logReplayBatch } from './replay-batch.js';
import { orderedInfo, type ReplayRun, wireMetric, wireRun } from './replay-run.js';
import { matchesRunFilter, parseRunFilter } from './run-filter.js';

/** The artifact root the recording's server used (a placeholder, SPEC §7). */
const RECORDED_ROOT = '/tmp/mlflow-server/sqlite/mlartifacts';
const STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];

/**
 * The tracking API of the replay server: one experiment and its runs, answered from the recorded
 * answers of the flow's scenario with the values that depend on the request filled in (ids, names,
 * times, status, the logged params, metrics, tags), and errors as the recorded error bodies.
 */
export class ReplayTracking {
  /** Runs created, by id. */
  readonly runs = new Map<string, ReplayRun>();
  /** How often each client run id tag was seen in a `runs/create` that created a run. */
  readonly createdClientIds = new Map<string, number>();
  readonly #answers: RecordedAnswers;
  readonly #artifacts: ArtifactMap;
  readonly #artifactRoot: string | undefined;
  #experiment: Record<string, unknown> | undefined;

  constructor(answers: RecordedAnswers, artifacts: ArtifactMap, artifactRoot?: string) {
    this.#answers = answers;
    this.#artifacts = artifacts;
    this.#artifactRoot = artifactRoot;
  }

  /** The answer to `<METHOD> <endpoint>` (`POST runs/create`) below `/api/2.0/mlflow/`. */
  async answer(
    route: string,
    body: Record<string, unknown>,
    query: (name: string) => string | undefined,
  ): Promise<Answer> {
    if (route === 'GET artifacts/list') {
      const runId = query('run_id') ?? '';
      const run = this.runs.get(runId);
      return listThroughTracking(run, runId, this.#artifacts, query('path') ?? '');
    }
    return (
      this.#experimentRoute(route, body, query) ??
      this.#runRoute(route, body, query) ?? { recorded: this.#answers.errorCase('html-404') }
    );
  }

  #experimentRoute(
    route: string,
    body: Record<string, unknown>,
    query: (name: string) => string | undefined,
  ): Answer | undefined {
    switch (route) {
      case 'GET experiments/get-by-name': {
        const name = query('experiment_name');
        if (this.#experiment && this.#experiment.name === name)
          return { json: { experiment: this.#experiment } };
        return notFound(`Could not find experiment with name '${name}'`);
      }
      case 'POST experiments/create':
        return this.#createExperiment(body);
      case 'GET experiments/get': {
        const id = query('experiment_id');
        if (this.#experiment && this.#experiment.experiment_id === id)
          return { json: { experiment: this.#experiment } };
        return notFound(`No Experiment with id=${id} exists`);
      }
      default:
        return undefined;
    }
  }

  #runRoute(
    route: string,
    body: Record<string, unknown>,
    query: (name: string) => string | undefined,
  ): Answer | undefined {
    switch (route) {
      case 'POST runs/create':
        return this.#createRun(body);
      case 'POST runs/update':
        return this.#updateRun(body);
      case 'GET runs/get': {
        const run = this.runs.get(query('run_id') ?? query('run_uuid') ?? '');
        if (!run) return notFound(`Run with id=${query('run_id')} not found`);
        return { json: { run: wireRun(run) } };
      }
      case 'POST runs/log-batch':
        return this.#logBatch(body);
      case 'POST runs/log-model':
        return this.#logModel(body);
      case 'POST runs/delete': {
        const run = this.runs.get(String(body.run_id));
        if (!run) return notFound(`Run with id=${body.run_id} not found`);
        run.info.lifecycle_stage = 'deleted';
        return { json: {} };
      }
      case 'POST runs/search':
        return this.#searchRuns(body);
      case 'GET metrics/get-history': {
        const run = this.runs.get(query('run_id') ?? query('run_uuid') ?? '');
        if (!run) return notFound(`Run with id=${query('run_id')} not found`);
        const metrics = run.metrics.filter((metric) => metric.key === query('metric_key'));
        return { json: metrics.length > 0 ? { metrics: metrics.map(wireMetric) } : {} };
      }
      default:
        return undefined;
    }
  }

  #createExperiment(body: Record<string, unknown>): Answer {
    if (typeof body.name !== 'string' || body.name === '')
      return { recorded: this.#answers.errorCase('missing-name') };
    if (this.#experiment) {
      return errorAnswer(
        400,
        'RESOURCE_ALREADY_EXISTS',
        `Experiment(name=${body.name}) already exists.`,
      );
    }
    const recorded = this.#answers.template('GET', 'experiments/get') as {
      experiment: Record<string, unknown>;
    };
    this.#experiment = { ...recorded.experiment, name: body.name };
    if (this.#artifactRoot) {
      this.#experiment.artifact_location = String(this.#experiment.artifact_location).replace(
        RECORDED_ROOT,
        this.#artifactRoot,
      );
    }
    return { json: this.#answers.template('POST', 'experiments/create') };
  }

  #createRun(body: Record<string, unknown>): Answer {
    if (!this.#experiment || body.experiment_id !== this.#experiment.experiment_id)
      return notFound(`No Experiment with id=${body.experiment_id} exists`);
    const recorded = this.#answers.runCreate(body.run_name);
    const recordedId = String(recorded.run.info.run_id);
    // A second run of the same name gets a fresh id, as the server would.
    const runId = this.runs.has(recordedId) ? randomBytes(16).toString('hex') : recordedId;
    const info: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(recorded.run.info)) {
      info[key] = typeof value === 'string' ? value.replaceAll(recordedId, runId) : value;
    }
    info.run_name = body.run_name;
    info.user_id = body.user_id;
    info.start_time = Number(body.start_time);
    info.status = 'RUNNING';
    if (this.#artifactRoot)
      info.artifact_uri = String(info.artifact_uri).replace(RECORDED_ROOT, this.#artifactRoot);
    const tags = new Map<string, string>();
    for (const tag of (body.tags ?? []) as { key: string; value: string }[])
      tags.set(tag.key, tag.value);
    this.runs.set(runId, { info, params: new Map(), tags, metrics: [] });
    const clientId = tags.get('heart.client_run_id');
    if (clientId)
      this.createdClientIds.set(clientId, (this.createdClientIds.get(clientId) ?? 0) + 1);
    return {
      json: {
        run: {
          info: orderedInfo(info),
          data: { tags: [...tags].map(([key, value]) => ({ key, value })) },
        },
      },
    };
  }

  #updateRun(body: Record<string, unknown>): Answer {
    const run = this.runs.get(String(body.run_id ?? body.run_uuid));
    if (!run) return notFound(`Run with id=${body.run_id} not found`);
    if (typeof body.status === 'string' && STATUSES.includes(body.status))
      run.info.status = body.status;
    if (body.end_time !== undefined) run.info.end_time = Number(body.end_time);
    if (typeof body.run_name === 'string') run.info.run_name = body.run_name;
    return { json: { run_info: orderedInfo(run.info) } };
  }

  #logBatch(body: Record<string, unknown>): Answer {
    const run = this.runs.get(String(body.run_id));
    if (!run) return notFound(`Run with id=${body.run_id} not found`);
    return logReplayBatch(run, body);
  }

  #logModel(body: Record<string, unknown>): Answer {
    const run = this.runs.get(String(body.run_id));
    if (!run) return notFound(`Run with id=${body.run_id} not found`);
    const entry = JSON.parse(String(body.model_json)) as Record<string, unknown>;
    const history = JSON.parse(run.tags.get('mlflow.log-model.history') ?? '[]') as unknown[];
    history.push(entry);
    run.tags.set('mlflow.log-model.history', pythonJsonDumps(history));
    return { json: {} };
  }

  #searchRuns(body: Record<string, unknown>): Answer {
    let clauses: ReturnType<typeof parseRunFilter>;
    try {
      clauses = parseRunFilter(typeof body.filter === 'string' ? body.filter : '');
    } catch {
      return errorAnswer(400, 'INVALID_PARAMETER_VALUE', `Invalid clause(s) in filter string`);
    }
    const view = body.run_view_type ?? 'ACTIVE_ONLY';
    const runs = [...this.runs.values()]
      .filter(
        (run) =>
          view === 'ALL' || (run.info.lifecycle_stage === 'deleted') === (view === 'DELETED_ONLY'),
      )
      .filter((run) => matchesRunFilter(run, clauses))
      .sort((a, b) => Number(b.info.start_time) - Number(a.info.start_time))
      .map((run) => ({ ...wireRun(run), inputs: {} }));
    return { json: runs.length > 0 ? { runs } : {} };
  }
}
