import { randomBytes } from 'node:crypto';
import { type Answer, errorAnswer, notFound } from './answers.js';
import { pythonJsonDumps } from './python-json.js';
import type { RecordedAnswers } from './recorded-answers.js';
import { type ArtifactMap, listThroughTracking } from './replay-artifacts.js';
import { keyTooLong, logReplayBatch, type MetricStore } from './replay-batch.js';
import { ReplayExperiments } from './replay-experiments.js';
import { page, pageOffset, pageSize } from './replay-registry-wire.js';
import { orderedInfo, type ReplayRun, wireMetric, wireRun } from './replay-run.js';
import { matchesRunFilter, parseRunFilter } from './run-filter.js';

const STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];

/**
 * The tracking API of the replay server: experiments and their runs, answered from the recorded
 * answers of the flow's scenario with the values that depend on the request filled in (ids, names,
 * times, status, the logged params, metrics, tags), and errors as the recorded error bodies.
 */
export class ReplayTracking {
  /** Runs created, by id. */
  readonly runs = new Map<string, ReplayRun>();
  /** How often each client run id tag was seen in a `runs/create` that created a run. */
  readonly createdClientIds = new Map<string, number>();
  readonly experiments: ReplayExperiments;
  readonly #answers: RecordedAnswers;
  readonly #artifacts: ArtifactMap;
  readonly #metricStore: MetricStore;

  constructor(
    answers: RecordedAnswers,
    artifacts: ArtifactMap,
    artifactRoot?: string,
    metricStore: MetricStore = 'sql',
  ) {
    this.#answers = answers;
    this.#artifacts = artifacts;
    this.experiments = new ReplayExperiments(answers, artifactRoot, answers.flow.length > 0);
    this.#metricStore = metricStore;
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
    return this.experiments.answer(route, body, query);
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

  #createRun(body: Record<string, unknown>): Answer {
    const experiment = this.experiments.byId.get(String(body.experiment_id));
    if (!experiment) return notFound(`No Experiment with id=${body.experiment_id} exists`);
    const recorded = this.#answers.runCreate(body.run_name);
    const recordedId = String(recorded.run.info.run_id);
    // A second run of the same name gets a fresh id, as the server would.
    const runId = this.runs.has(recordedId) ? randomBytes(16).toString('hex') : recordedId;
    const info: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(recorded.run.info)) {
      info[key] = typeof value === 'string' ? value.replaceAll(recordedId, runId) : value;
    }
    info.experiment_id = experiment.experiment_id;
    info.run_name = body.run_name;
    info.user_id = body.user_id;
    info.start_time = Number(body.start_time);
    info.status = 'RUNNING';
    info.artifact_uri = `${experiment.artifact_location}/${runId}/artifacts`;
    const tags = new Map<string, string>();
    for (const tag of (body.tags ?? []) as { key: string; value: string }[]) {
      if (Array.from(tag.key).length > 250) return keyTooLong('Tag', tag.key);
      tags.set(tag.key, tag.value);
    }
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
    return logReplayBatch(run, body, this.#metricStore);
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
    const size = pageSize(
      body.max_results === undefined ? undefined : String(body.max_results),
      1000,
      50_000,
    );
    if (typeof size !== 'number') return size;
    const offset = pageOffset(typeof body.page_token === 'string' ? body.page_token : undefined);
    if (typeof offset !== 'number') return offset;
    const experimentIds = Array.isArray(body.experiment_ids) ? body.experiment_ids.map(String) : [];
    const view = body.run_view_type ?? 'ACTIVE_ONLY';
    const runs = [...this.runs.values()]
      .filter((run) => experimentIds.includes(String(run.info.experiment_id)))
      .filter(
        (run) =>
          view === 'ALL' || (run.info.lifecycle_stage === 'deleted') === (view === 'DELETED_ONLY'),
      )
      .filter((run) => matchesRunFilter(run, clauses))
      .sort((a, b) => Number(b.info.start_time) - Number(a.info.start_time));
    const { items, token } = page(runs, offset, size);
    const wire = items.map((run) => ({ ...wireRun(run), inputs: {} }));
    return {
      json: {
        ...(wire.length > 0 ? { runs: wire } : {}),
        ...(token ? { next_page_token: token } : {}),
      },
    };
  }
}
