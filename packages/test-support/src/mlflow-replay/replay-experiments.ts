import { type Answer, errorAnswer, notFound } from './answers.js';
import type { RecordedAnswers } from './recorded-answers.js';
import { page, pageOffset, pageSize } from './replay-registry-wire.js';

/** The artifact root the recording's server used (a placeholder, SPEC §7). */
const RECORDED_ROOT = '/tmp/mlflow-server/sqlite/mlartifacts';

/** An experiment as the replay server keeps it (wire-named fields). */
export interface ReplayExperiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  last_update_time: number;
  creation_time: number;
  tags: Map<string, string>;
}

/**
 * The experiments of the replay server, as a SQL-backed MLflow 2.17.2 server keeps them: `Default`
 * (id 0) from the start, then ids 1, 2, … with the recorded experiment's shape (its artifact
 * location with the id in place), tags, `experiments/search` with page tokens.
 */
export class ReplayExperiments {
  readonly byId = new Map<string, ReplayExperiment>();
  readonly #answers: RecordedAnswers;
  readonly #artifactRoot: string | undefined;
  #recorded: ReplayExperiment | undefined;

  /** `verbatim` servers have no flow: their experiments are never asked for. */
  constructor(answers: RecordedAnswers, artifactRoot: string | undefined, flow = true) {
    this.#answers = answers;
    this.#artifactRoot = artifactRoot;
    if (flow) this.byId.set('0', this.#make('0', 'Default'));
  }

  /** The experiment called `name` (any stage). */
  byName(name: unknown): ReplayExperiment | undefined {
    return [...this.byId.values()].find((experiment) => experiment.name === name);
  }

  /** The answer to an experiment route, or `undefined` (not one). */
  answer(
    route: string,
    body: Record<string, unknown>,
    query: (name: string) => string | undefined,
  ): Answer | undefined {
    switch (route) {
      case 'GET experiments/get-by-name': {
        const name = query('experiment_name');
        const experiment = this.byName(name);
        if (experiment) return { json: { experiment: wireExperiment(experiment) } };
        return notFound(`Could not find experiment with name '${name}'`);
      }
      case 'GET experiments/get': {
        const id = query('experiment_id');
        const experiment = this.byId.get(id ?? '');
        if (experiment) return { json: { experiment: wireExperiment(experiment) } };
        return notFound(`No Experiment with id=${id} exists`);
      }
      case 'POST experiments/create':
        return this.#create(body);
      case 'POST experiments/set-experiment-tag': {
        const experiment = this.byId.get(String(body.experiment_id));
        if (!experiment) return notFound(`No Experiment with id=${body.experiment_id} exists`);
        experiment.tags.set(String(body.key), String(body.value));
        return { json: {} };
      }
      case 'POST experiments/search':
        return this.#search((name) => body[name]);
      case 'GET experiments/search':
        return this.#search(query);
      default:
        return undefined;
    }
  }

  /** The recorded experiment (id 1) of the flow's scenario, its root replaced. */
  get #template(): ReplayExperiment {
    if (this.#recorded) return this.#recorded;
    const recorded = (
      this.#answers.template('GET', 'experiments/get') as { experiment: Record<string, unknown> }
    ).experiment;
    let location = String(recorded.artifact_location);
    if (this.#artifactRoot) location = location.replace(RECORDED_ROOT, this.#artifactRoot);
    this.#recorded = {
      experiment_id: String(recorded.experiment_id),
      name: String(recorded.name),
      artifact_location: location,
      lifecycle_stage: 'active',
      last_update_time: Number(recorded.last_update_time),
      creation_time: Number(recorded.creation_time),
      tags: new Map(),
    };
    return this.#recorded;
  }

  #make(id: string, name: string): ReplayExperiment {
    const template = this.#template;
    return {
      ...template,
      experiment_id: id,
      name,
      artifact_location: template.artifact_location.replace(/\/1$/, `/${id}`),
      tags: new Map(),
    };
  }

  #create(body: Record<string, unknown>): Answer {
    if (typeof body.name !== 'string' || body.name === '')
      return { recorded: this.#answers.errorCase('missing-name') };
    if (this.byName(body.name)) {
      return errorAnswer(
        400,
        'RESOURCE_ALREADY_EXISTS',
        `Experiment(name=${body.name}) already exists.`,
      );
    }
    const id = String(Math.max(0, ...[...this.byId.keys()].map(Number)) + 1);
    const experiment = this.#make(id, body.name);
    for (const tag of (body.tags ?? []) as { key: string; value: string }[])
      experiment.tags.set(tag.key, String(tag.value));
    this.byId.set(id, experiment);
    return { json: { experiment_id: id } };
  }

  #search(field: (name: string) => unknown): Answer {
    const size = pageSize(
      field('max_results') === undefined ? undefined : String(field('max_results')),
      1000,
      50_000,
    );
    if (typeof size !== 'number') return size;
    const token = field('page_token');
    const offset = pageOffset(typeof token === 'string' ? token : undefined);
    if (typeof offset !== 'number') return offset;
    const view = field('view_type') ?? 'ACTIVE_ONLY';
    const visible = [...this.byId.values()].filter(
      (experiment) =>
        view === 'ALL' || (experiment.lifecycle_stage === 'deleted') === (view === 'DELETED_ONLY'),
    );
    const { items, token: next } = page(visible, offset, size);
    return {
      json: {
        experiments: items.map(wireExperiment),
        ...(next ? { next_page_token: next } : {}),
      },
    };
  }
}

/** An experiment as the server answers it (tags only when there are some). */
function wireExperiment(experiment: ReplayExperiment): Record<string, unknown> {
  const { tags, ...fields } = experiment;
  return tags.size > 0
    ? { ...fields, tags: [...tags].map(([key, value]) => ({ key, value })) }
    : fields;
}
