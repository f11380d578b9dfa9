import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback } from '../loopback.js';
import { type Answer, replayExchange, sendAnswer } from './answers.js';
import type { Exchange, Received } from './exchanges.js';
import { RecordedAnswers } from './recorded-answers.js';
import { type ArtifactMap, answerArtifactCall } from './replay-artifacts.js';
import type { MetricStore } from './replay-batch.js';
import type { ReplayExperiment } from './replay-experiments.js';
import { ReplayRegistry } from './replay-registry.js';
import type { ReplayRegisteredModel } from './replay-registry-wire.js';
import type { ReplayRun } from './replay-run.js';
import { ReplayTracking } from './replay-tracking.js';

/**
 * A stand-in for the MLflow 2.17.2 server this machine cannot run, built from its recorded
 * exchanges (`golden/rest/exchanges.jsonl`):
 *
 * - a request identical to a recorded one (method, path, query, body) gets the recorded answer,
 *   byte for byte in content — that is how every recorded error case is replayed;
 * - otherwise, in a client scenario (`localartifacts` or `artifactproxy`), the answer is the
 *   recorded answer of the same endpoint with the values that depend on the request filled in
 *   (ids, names, times, status, the logged params, metrics, tags and artifacts), and errors are
 *   the recorded error bodies (`Changing param values…`, batch limits, unknown run, HTML 404/500);
 * - the model registry (SPEC §8) is kept the same way in both client scenarios: registered
 *   models, versions, tags, aliases, stages, searches, download URIs, shaped as the recorded
 *   `registry-sqlite-*` answers, with their error answers.
 *
 * In `verbatim` mode it answers from the tracking recordings (`golden/rest/`) and the registry
 * recordings (`golden/registry/`, scenarios `registry-sqlite-*` and `registry-filestore-*`).
 * It keeps what it was sent (`received`, `runs`, `artifacts`, `registeredModels`), so a test can
 * check what arrived.
 *
 * @example
 * ```ts
 * const server = new ReplayServer('artifactproxy');
 * const client = createTrackingClient({ trackingUri: await server.start() });
 * // … log runs, then look at server.runs and server.artifacts …
 * await server.stop();
 * ```
 */
export class ReplayServer {
  readonly received: Received[] = [];
  /** Runs created, by id. */
  readonly runs: Map<string, ReplayRun>;
  /** Proxied artifacts: `<exp>/<run>/artifacts/<path>` → bytes and the content type sent. */
  readonly artifacts: ArtifactMap = new Map();
  /** How often each client run id tag was seen in a `runs/create` that created a run. */
  readonly createdClientIds: Map<string, number>;
  /** Registered models (with their versions and aliases), by name. */
  readonly registeredModels: Map<string, ReplayRegisteredModel>;
  /** Experiments, by id (`0` is `Default`, as on a real server). */
  readonly experiments: Map<string, ReplayExperiment>;
  readonly #answers: RecordedAnswers;
  readonly #tracking: ReplayTracking;
  readonly #registry: ReplayRegistry;
  #server: Server | undefined;
  url = '';

  /**
   * @param scenario The client scenario whose answers the flow follows, or `verbatim`: answer
   *   only requests identical to recorded ones (any scenario), everything else with the recorded
   *   HTML 404.
   * @param artifactRoot For `localartifacts`: the folder standing in for the recorded root.
   * @param recordedScenario For `verbatim`: the recorded scenario to answer from, or a prefix of
   *   scenario names (`registry-sqlite` answers from every `registry-sqlite-*` scenario).
   * @param options.now The server's clock for the registry's timestamps (epoch ms). Default
   *   `Date.now`; a test that orders by time passes one that never ties.
   * @param options.metricStore `sql` (default): an identical metric point is kept once, as SQL
   *   stores do; `file`: every point sent is kept, as a file-store-backed server does (a retried
   *   `log-batch` leaves its points twice).
   */
  constructor(
    readonly scenario: 'localartifacts' | 'artifactproxy' | 'verbatim',
    artifactRoot?: string,
    recordedScenario?: string,
    options: { now?: () => number; metricStore?: MetricStore } = {},
  ) {
    this.#answers = new RecordedAnswers(scenario, recordedScenario);
    this.#tracking = new ReplayTracking(
      this.#answers,
      this.artifacts,
      artifactRoot,
      options.metricStore,
    );
    this.runs = this.#tracking.runs;
    this.experiments = this.#tracking.experiments.byId;
    this.createdClientIds = this.#tracking.createdClientIds;
    this.#registry = new ReplayRegistry(this.runs, options.now);
    this.registeredModels = this.#registry.models;
  }

  /** Listens on 127.0.0.1; resolves with the server's URL (also in `url`). */
  async start(): Promise<string> {
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.#handle(request, Buffer.concat(chunks), response).catch((error: unknown) => {
          response.writeHead(599, { 'content-type': 'text/plain' });
          response.end(`replay server bug: ${(error as Error).stack}`);
        });
      });
    });
    this.url = await listenOnLoopback(this.#server);
    return this.url;
  }

  async stop(): Promise<void> {
    if (this.#server) await closeServer(this.#server);
  }

  /** The recorded exchanges of the flow's scenario (and its readback). */
  get flowExchanges(): readonly Exchange[] {
    return this.#answers.flow;
  }

  async #handle(request: IncomingMessage, bytes: Buffer, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://replay');
    const query: Record<string, string[]> = {};
    for (const name of new Set(url.searchParams.keys()))
      query[name] = url.searchParams.getAll(name);
    const received: Received = {
      method: request.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query,
      headers: request.headers,
      bytes,
    };
    const type = request.headers['content-type'] ?? '';
    if (/^application\/json/.test(type) && bytes.length > 0) {
      try {
        received.json = JSON.parse(bytes.toString('utf8'));
      } catch {}
    }
    this.received.push(received);

    if (this.scenario === 'verbatim') {
      const recorded = this.#answers.verbatim(received, url.pathname, type);
      received.seq = recorded?.seq;
      replayExchange(recorded ?? this.#answers.errorCase('html-404'), response);
      return;
    }
    sendAnswer(response, await this.#answer(received, type));
  }

  async #answer(received: Received, type: string): Promise<Answer> {
    const { method, path } = received;
    if (path === '/version' || path === '/health')
      return { recorded: this.#answers.errorCase(path) };
    if (path.startsWith('/api/2.0/mlflow-artifacts/artifacts')) {
      const answer = answerArtifactCall(this.artifacts, received);
      return answer ?? { recorded: this.#answers.errorCase('html-404') };
    }
    if (!path.startsWith('/api/2.0/mlflow/'))
      return { recorded: this.#answers.errorCase('html-404') };
    const endpoint = path.slice('/api/2.0/mlflow/'.length);
    if (method === 'POST') {
      if (!/^application\/json/.test(type))
        return { recorded: this.#answers.errorCase('content-type') };
      if (received.json === undefined) return { recorded: this.#answers.errorCase('html-500') };
    }
    const body = (received.json ?? {}) as Record<string, unknown>;
    const registry = this.#registry.answer(`${method} ${endpoint}`, {
      body,
      query: received.query,
      field: (name) => (method === 'GET' ? received.query[name]?.[0] : body[name]),
    });
    if (registry) return registry;
    return this.#tracking.answer(
      `${method} ${endpoint}`,
      body,
      (name) => received.query[name]?.[0],
    );
  }
}
