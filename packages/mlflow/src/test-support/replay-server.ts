import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { listLocalArtifacts } from '../file-store/local-artifacts.js';
import { pythonJsonDumps } from '../internal/python-format.js';
import { matchesFilter, parseFilter } from '../search-filter.js';
import type { Metric, Run } from '../types.js';
import { closeServer, GOLDEN, listenOnLoopback } from './shared.js';

/** One recorded HTTP exchange of MLflow 2.17.2 (SPEC §7). */
export interface Exchange {
  seq: number;
  scenario: string;
  method: string;
  path: string;
  query: Record<string, string[]>;
  raw_query: string;
  request_headers: Record<string, string>;
  request_body: RecordedBody;
  status: number;
  response_headers: Record<string, string>;
  response_body: RecordedBody;
}

export type RecordedBody =
  | { kind: 'json' | 'json-untyped'; json: unknown }
  | { kind: 'text'; size: number; text: string }
  | { kind: 'binary'; size: number; sha256: string; base64_head: string }
  | { kind: 'empty' };

let recorded: readonly Exchange[] | undefined;

/** Every recorded exchange, in order (read once). */
export function loadExchanges(): readonly Exchange[] {
  recorded ??= readFileSync(join(GOLDEN, 'rest', 'exchanges.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Exchange);
  return recorded;
}

/** A request as the server received it. */
export interface Received {
  method: string;
  path: string;
  query: Record<string, string[]>;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body, for JSON requests. */
  json?: unknown;
  bytes: Buffer;
  /** The recorded exchange that answered it, when one did verbatim. */
  seq?: number;
}

/** The artifact root the recording's server used (a placeholder, SPEC §7). */
const RECORDED_ROOT = '/tmp/mlflow-server/sqlite/mlartifacts';

interface StoredRun {
  info: Record<string, unknown>;
  params: Map<string, string>;
  tags: Map<string, string>;
  metrics: Metric[];
}

/**
 * A stand-in for the MLflow 2.17.2 server this machine cannot run, built from its recorded
 * exchanges (`golden/rest/exchanges.jsonl`):
 *
 * - a request identical to a recorded one (method, path, query, body) gets the recorded answer,
 *   byte for byte in content — that is how every recorded error case is replayed;
 * - otherwise, in a client scenario (`localartifacts` or `artifactproxy`), the answer is the
 *   recorded answer of the same endpoint with the values that depend on the request filled in
 *   (ids, names, times, status, the logged params, metrics, tags and artifacts), and errors are
 *   the recorded error bodies (`Changing param values…`, batch limits, unknown run, HTML 404/500).
 *
 * It keeps what it was sent (`received`, `runs`, `artifacts`), so a test can check what arrived.
 */
export class ReplayServer {
  readonly received: Received[] = [];
  /** Runs created, by id. */
  readonly runs = new Map<string, StoredRun>();
  /** Proxied artifacts: `<exp>/<run>/artifacts/<path>` → bytes and the content type sent. */
  readonly artifacts = new Map<string, { bytes: Buffer; contentType: string }>();
  /** How often each client run id tag was seen in a `runs/create` that created a run. */
  readonly createdClientIds = new Map<string, number>();
  readonly #exchanges: readonly Exchange[];
  readonly #flow: readonly Exchange[];
  readonly #errorExchanges = loadExchanges().filter(
    (exchange) => exchange.scenario === 'errors-sqlite',
  );
  readonly #artifactRoot: string | undefined;
  #experiment: Record<string, unknown> | undefined;
  #server: Server | undefined;
  url = '';

  /**
   * @param scenario The client scenario whose answers the flow follows, or `verbatim`: answer
   *   only requests identical to recorded ones (any scenario), everything else with the recorded
   *   HTML 404.
   * @param artifactRoot For `localartifacts`: the folder standing in for the recorded root.
   * @param recordedScenario For `verbatim`: the recorded scenario to answer from.
   */
  constructor(
    readonly scenario: 'localartifacts' | 'artifactproxy' | 'verbatim',
    artifactRoot?: string,
    recordedScenario?: string,
  ) {
    this.#exchanges = loadExchanges().filter(
      (exchange) => recordedScenario === undefined || exchange.scenario === recordedScenario,
    );
    this.#flow = this.#exchanges.filter((exchange) =>
      exchange.scenario.startsWith(`client-sqlite-${scenario}`),
    );
    this.#artifactRoot = artifactRoot;
  }

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
    return this.#flow;
  }

  // ── dispatch ─────────────────────────────────────────────────────────────

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
      const recorded = this.#exchanges.find(
        (exchange) =>
          exchange.method === received.method &&
          exchange.path === url.pathname &&
          sameQuery(exchange.query, query) &&
          sameBody(exchange.request_body, received, type),
      );
      received.seq = recorded?.seq;
      this.#replay(recorded ?? this.#errorCase('html-404'), response);
      return;
    }
    this.#send(response, await this.#answer(received, type));
  }

  #replay(exchange: Exchange, response: ServerResponse): void {
    const body = exchange.response_body;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(exchange.response_headers)) {
      if (name.toLowerCase() !== 'content-length') headers[name] = value;
    }
    let payload: Buffer;
    if (body.kind === 'json') payload = Buffer.from(serialise(body.json));
    else if (body.kind === 'json-untyped') payload = Buffer.from(JSON.stringify(body.json));
    else if (body.kind === 'text') payload = Buffer.from(body.text);
    else payload = Buffer.alloc(0);
    response.writeHead(exchange.status, headers);
    response.end(payload);
  }

  #send(response: ServerResponse, answer: Answer): void {
    if ('recorded' in answer) {
      this.#replay(answer.recorded, response);
      return;
    }
    if ('bytes' in answer) {
      response.writeHead(200, answer.headers);
      response.end(answer.bytes);
      return;
    }
    response.writeHead(answer.status ?? 200, { 'Content-Type': 'application/json' });
    response.end(
      answer.status && answer.status >= 400 ? pythonJsonDumps(answer.json) : serialise(answer.json),
    );
  }

  // ── the flow ─────────────────────────────────────────────────────────────

  async #answer(received: Received, type: string): Promise<Answer> {
    const { method, path } = received;
    if (path === '/version' || path === '/health') return { recorded: this.#errorCase(path) };
    if (path.startsWith('/api/2.0/mlflow-artifacts/artifacts')) return this.#artifactCall(received);
    if (!path.startsWith('/api/2.0/mlflow/')) return { recorded: this.#errorCase('html-404') };
    const endpoint = path.slice('/api/2.0/mlflow/'.length);
    if (method === 'POST') {
      if (!/^application\/json/.test(type)) return { recorded: this.#errorCase('content-type') };
      if (received.json === undefined) return { recorded: this.#errorCase('html-500') };
    }
    const body = (received.json ?? {}) as Record<string, unknown>;
    const q = (name: string) => received.query[name]?.[0];
    const route = `${method} ${endpoint}`;
    switch (route) {
      case 'GET experiments/get-by-name': {
        const name = q('experiment_name');
        if (this.#experiment && this.#experiment.name === name)
          return { json: { experiment: this.#experiment } };
        return notFound(`Could not find experiment with name '${name}'`);
      }
      case 'POST experiments/create': {
        if (typeof body.name !== 'string' || body.name === '')
          return { recorded: this.#errorCase('missing-name') };
        if (this.#experiment) {
          return error(
            400,
            'RESOURCE_ALREADY_EXISTS',
            `Experiment(name=${body.name}) already exists.`,
          );
        }
        const recorded = this.#template('GET', 'experiments/get') as {
          experiment: Record<string, unknown>;
        };
        this.#experiment = { ...recorded.experiment, name: body.name };
        if (this.#artifactRoot) {
          this.#experiment.artifact_location = String(this.#experiment.artifact_location).replace(
            RECORDED_ROOT,
            this.#artifactRoot,
          );
        }
        return { json: this.#template('POST', 'experiments/create') };
      }
      case 'GET experiments/get': {
        const id = q('experiment_id');
        if (this.#experiment && this.#experiment.experiment_id === id)
          return { json: { experiment: this.#experiment } };
        return notFound(`No Experiment with id=${id} exists`);
      }
      case 'POST runs/create':
        return this.#createRun(body);
      case 'POST runs/update': {
        const run = this.runs.get(String(body.run_id ?? body.run_uuid));
        if (!run) return notFound(`Run with id=${body.run_id} not found`);
        if (
          typeof body.status === 'string' &&
          ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'].includes(body.status)
        )
          run.info.status = body.status;
        if (body.end_time !== undefined) run.info.end_time = Number(body.end_time);
        if (typeof body.run_name === 'string') run.info.run_name = body.run_name;
        return { json: { run_info: orderedInfo(run.info) } };
      }
      case 'GET runs/get': {
        const run = this.runs.get(q('run_id') ?? q('run_uuid') ?? '');
        if (!run) return notFound(`Run with id=${q('run_id')} not found`);
        return { json: { run: wireRun(run) } };
      }
      case 'POST runs/log-batch':
        return this.#logBatch(body);
      case 'POST runs/log-model': {
        const run = this.runs.get(String(body.run_id));
        if (!run) return notFound(`Run with id=${body.run_id} not found`);
        const entry = JSON.parse(String(body.model_json)) as Record<string, unknown>;
        const history = JSON.parse(run.tags.get('mlflow.log-model.history') ?? '[]') as unknown[];
        history.push(entry);
        run.tags.set('mlflow.log-model.history', pythonJsonDumps(history));
        return { json: {} };
      }
      case 'POST runs/delete': {
        const run = this.runs.get(String(body.run_id));
        if (!run) return notFound(`Run with id=${body.run_id} not found`);
        run.info.lifecycle_stage = 'deleted';
        return { json: {} };
      }
      case 'POST runs/search': {
        let clauses: ReturnType<typeof parseFilter>;
        try {
          clauses = parseFilter(typeof body.filter === 'string' ? body.filter : '');
        } catch {
          return error(400, 'INVALID_PARAMETER_VALUE', `Invalid clause(s) in filter string`);
        }
        const view = body.run_view_type ?? 'ACTIVE_ONLY';
        const runs = [...this.runs.values()]
          .filter(
            (run) =>
              view === 'ALL' ||
              (run.info.lifecycle_stage === 'deleted') === (view === 'DELETED_ONLY'),
          )
          .filter((run) => matchesFilter(asRun(run), clauses))
          .sort((a, b) => Number(b.info.start_time) - Number(a.info.start_time))
          .map((run) => ({ ...wireRun(run), inputs: {} }));
        return { json: runs.length > 0 ? { runs } : {} };
      }
      case 'GET metrics/get-history': {
        const run = this.runs.get(q('run_id') ?? q('run_uuid') ?? '');
        if (!run) return notFound(`Run with id=${q('run_id')} not found`);
        const metrics = run.metrics.filter((metric) => metric.key === q('metric_key'));
        return { json: metrics.length > 0 ? { metrics: metrics.map(wireMetric) } : {} };
      }
      case 'GET artifacts/list':
        return this.#listThroughTracking(q('run_id') ?? '', q('path') ?? '');
      default:
        return { recorded: this.#errorCase('html-404') };
    }
  }

  #createRun(body: Record<string, unknown>): Answer {
    if (!this.#experiment || body.experiment_id !== this.#experiment.experiment_id)
      return notFound(`No Experiment with id=${body.experiment_id} exists`);
    const creates = this.#flow.filter(
      (exchange) => exchange.method === 'POST' && exchange.path.endsWith('/runs/create'),
    );
    const recorded = (
      creates.find(
        (exchange) =>
          (exchange.request_body as { json: { run_name: string } }).json.run_name === body.run_name,
      ) ?? creates[0]!
    ).response_body as { json: { run: { info: Record<string, unknown> } } };
    let runId = String(recorded.json.run.info.run_id);
    // A second run of the same name gets a fresh id, as the server would.
    if (this.runs.has(runId)) runId = randomBytes(16).toString('hex');
    const recordedId = String(recorded.json.run.info.run_id);
    const info: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(recorded.json.run.info)) {
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
    const run: StoredRun = { info, params: new Map(), tags, metrics: [] };
    this.runs.set(runId, run);
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

  #logBatch(body: Record<string, unknown>): Answer {
    const run = this.runs.get(String(body.run_id));
    if (!run) return notFound(`Run with id=${body.run_id} not found`);
    const metrics = (body.metrics ?? []) as Record<string, unknown>[];
    const params = (body.params ?? []) as { key: string; value: string }[];
    const tags = (body.tags ?? []) as { key: string; value: string }[];
    const limit = (what: string, max: number, got: number) =>
      error(
        400,
        'INVALID_PARAMETER_VALUE',
        `A batch logging request can contain at most ${max} ${what}. Got ${got} ${what}. Please split up ${what} across multiple requests and try again.`,
      );
    if (metrics.length > 1000) return limit('metrics', 1000, metrics.length);
    if (params.length > 100) return limit('params', 100, params.length);
    if (tags.length > 100) return limit('tags', 100, tags.length);
    const total = metrics.length + params.length + tags.length;
    if (total > 1000) return limit('metrics, params, and tags', 1000, total);
    const keys = params.map((param) => param.key);
    const duplicates = [...new Set(keys.filter((key, i) => keys.indexOf(key) !== i))];
    if (duplicates.length > 0) {
      return error(
        400,
        'INVALID_PARAMETER_VALUE',
        `Duplicate parameter keys have been submitted: [${duplicates.map((key) => `'${key}'`).join(', ')}]. Please ensure the request contains only one param value per param key.`,
      );
    }
    for (const param of params) {
      const old = run.params.get(param.key);
      const value = Array.from(String(param.value)).slice(0, 6000).join('');
      if (old !== undefined && old !== value) {
        return error(
          400,
          'INVALID_PARAMETER_VALUE',
          `Changing param values is not allowed. Params were already logged='[{'key': '${param.key}', 'old_value': '${old}', 'new_value': '${value}'}]' for run ID='${body.run_id}'.`,
        );
      }
    }
    for (const param of params)
      run.params.set(param.key, Array.from(String(param.value)).slice(0, 6000).join(''));
    for (const metric of metrics) {
      if (metric.timestamp === undefined) {
        return error(
          400,
          'INVALID_PARAMETER_VALUE',
          "Missing value for required parameter 'timestamp'. See the API docs for more information about request parameters.",
        );
      }
      const point = {
        key: String(metric.key),
        value: fromWire(metric.value),
        timestamp: Number(metric.timestamp),
        step: Number(metric.step ?? 0),
      };
      // SQL stores keep one copy of an identical point.
      if (!run.metrics.some((known) => samePoint(known, point))) run.metrics.push(point);
    }
    for (const tag of tags) {
      run.tags.set(tag.key, String(tag.value));
      if (tag.key === 'mlflow.runName') run.info.run_name = tag.value;
    }
    return { json: {} };
  }

  #artifactCall(received: Received): Answer {
    const prefix = '/api/2.0/mlflow-artifacts/artifacts';
    const rest = received.path.slice(prefix.length).replace(/^\/+/, '');
    if (received.method === 'PUT' && rest !== '') {
      this.artifacts.set(rest, {
        bytes: received.bytes,
        contentType: String(received.headers['content-type'] ?? ''),
      });
      return { json: {} };
    }
    if (received.method === 'GET' && rest === '') {
      const folder = (received.query.path?.[0] ?? '').replace(/\/+$/, '');
      const names = new Map<string, { isDir: boolean; size: number }>();
      for (const [key, value] of this.artifacts) {
        if (!key.startsWith(`${folder}/`)) continue;
        const [head, ...tail] = key.slice(folder.length + 1).split('/');
        names.set(head!, { isDir: tail.length > 0, size: value.bytes.length });
      }
      const files = [...names]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([path, entry]) =>
          entry.isDir ? { path, is_dir: true } : { path, is_dir: false, file_size: entry.size },
        );
      return { json: files.length > 0 ? { files } : {} };
    }
    if (received.method === 'GET') {
      const stored = this.artifacts.get(rest);
      if (!stored) return notFound(`File not found: ${rest}`);
      const name = rest.slice(rest.lastIndexOf('/') + 1);
      return {
        bytes: stored.bytes,
        headers: {
          'Content-Type': stored.contentType.startsWith('text/')
            ? 'text/plain'
            : stored.contentType,
          'Content-Disposition': `attachment; filename=${name}`,
        },
      };
    }
    return { recorded: this.#errorCase('html-404') };
  }

  async #listThroughTracking(runId: string, path: string): Promise<Answer> {
    const run = this.runs.get(runId);
    if (!run) return notFound(`Run with id=${runId} not found`);
    const root = String(run.info.artifact_uri);
    if (!root.startsWith('mlflow-artifacts:')) {
      // A local root: the server lists the folder itself.
      const files = (await listLocalArtifacts(root, path)).map((file) =>
        file.isDir
          ? { path: file.path, is_dir: true }
          : { path: file.path, is_dir: false, file_size: file.fileSize },
      );
      return { json: files.length > 0 ? { root_uri: root, files } : { root_uri: root } };
    }
    const runPath = root.replace(/^mlflow-artifacts:\/*/, '');
    const folder = path === '' ? runPath : `${runPath}/${path}`;
    const files: Record<string, unknown>[] = [];
    const seen = new Set<string>();
    for (const [key, value] of this.artifacts) {
      if (!key.startsWith(`${folder}/`)) continue;
      const [head, ...tail] = key.slice(folder.length + 1).split('/');
      const child = path === '' ? head! : `${path}/${head}`;
      if (seen.has(child)) continue;
      seen.add(child);
      files.push(
        tail.length > 0
          ? { path: child, is_dir: true }
          : { path: child, is_dir: false, file_size: value.bytes.length },
      );
    }
    return { json: files.length > 0 ? { root_uri: root, files } : { root_uri: root } };
  }

  // ── recorded pieces ──────────────────────────────────────────────────────

  /** The recorded 200 answer of an endpoint in the flow's scenario. */
  #template(method: string, endpoint: string): unknown {
    const exchange = this.#flow.find(
      (item) =>
        item.method === method &&
        item.path === `/api/2.0/mlflow/${endpoint}` &&
        item.status === 200,
    );
    if (exchange?.response_body.kind !== 'json')
      throw new Error(`no recorded ${method} ${endpoint}`);
    return structuredClone(exchange.response_body.json);
  }

  /** A recorded answer of the errors scenario, by what it shows. */
  #errorCase(
    which: '/version' | '/health' | 'html-404' | 'html-500' | 'content-type' | 'missing-name',
  ): Exchange {
    const find = (predicate: (exchange: Exchange) => boolean) =>
      this.#errorExchanges.find((exchange) => predicate(exchange))!;
    switch (which) {
      case '/version':
      case '/health':
        return find((exchange) => exchange.path === which);
      case 'html-404':
        return find(
          (exchange) => exchange.status === 404 && exchange.path.endsWith('nonexistent-endpoint'),
        );
      case 'html-500':
        return find(
          (exchange) => exchange.status === 500 && exchange.path.endsWith('runs/log-batch'),
        );
      case 'content-type':
        return find((exchange) => exchange.seq === 111);
      case 'missing-name':
        return find((exchange) => exchange.seq === 73);
    }
  }
}

type Answer =
  | { json: unknown; status?: number }
  | { recorded: Exchange }
  | { bytes: Buffer; headers: Record<string, string> };

function notFound(message: string): Answer {
  return error(404, 'RESOURCE_DOES_NOT_EXIST', message);
}

function error(status: number, code: string, message: string): Answer {
  return { status, json: { error_code: code, message } };
}

/** MLflow's server pretty-prints its JSON answers (2-space indent). */
function serialise(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

const INFO_ORDER = [
  'run_uuid',
  'experiment_id',
  'run_name',
  'user_id',
  'status',
  'start_time',
  'end_time',
  'artifact_uri',
  'lifecycle_stage',
  'run_id',
];

function orderedInfo(info: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of INFO_ORDER) if (info[key] !== undefined) out[key] = info[key];
  return out;
}

function wireMetric(metric: Metric): Record<string, unknown> {
  const value = Number.isNaN(metric.value)
    ? 'NaN'
    : metric.value === Number.POSITIVE_INFINITY
      ? 1.7976931348623157e308
      : metric.value === Number.NEGATIVE_INFINITY
        ? -1.7976931348623157e308
        : metric.value;
  return { key: metric.key, value, timestamp: metric.timestamp, step: metric.step };
}

function latest(metrics: readonly Metric[]): Metric[] {
  const byKey = new Map<string, Metric>();
  for (const metric of metrics) {
    const known = byKey.get(metric.key);
    if (
      !known ||
      metric.step > known.step ||
      (metric.step === known.step && metric.timestamp > known.timestamp)
    )
      byKey.set(metric.key, metric);
  }
  return [...byKey.values()];
}

function wireRun(run: StoredRun): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const metrics = latest(run.metrics).map(wireMetric);
  if (metrics.length > 0) data.metrics = metrics;
  if (run.params.size > 0) data.params = [...run.params].map(([key, value]) => ({ key, value }));
  if (run.tags.size > 0) data.tags = [...run.tags].map(([key, value]) => ({ key, value }));
  return { info: orderedInfo(run.info), data };
}

function asRun(run: StoredRun): Run {
  return {
    info: {
      runId: String(run.info.run_id),
      experimentId: String(run.info.experiment_id),
      runName: String(run.info.run_name),
      userId: String(run.info.user_id),
      status: run.info.status as Run['info']['status'],
      startTime: Number(run.info.start_time),
      artifactUri: String(run.info.artifact_uri),
      lifecycleStage: 'active',
    },
    data: {
      metrics: latest(run.metrics),
      params: [...run.params].map(([key, value]) => ({ key, value })),
      tags: [...run.tags].map(([key, value]) => ({ key, value })),
    },
  };
}

function fromWire(value: unknown): number {
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return Number(value);
}

function samePoint(a: Metric, b: Metric): boolean {
  return (
    a.key === b.key &&
    a.step === b.step &&
    a.timestamp === b.timestamp &&
    (a.value === b.value || (Number.isNaN(a.value) && Number.isNaN(b.value)))
  );
}

function sameQuery(recorded: Record<string, string[]>, query: Record<string, string[]>): boolean {
  const a = Object.keys(recorded).sort();
  const b = Object.keys(query).sort();
  return (
    a.length === b.length &&
    a.every(
      (key, i) => key === b[i] && JSON.stringify(recorded[key]) === JSON.stringify(query[key]),
    )
  );
}

function sameBody(recorded: RecordedBody, received: Received, type: string): boolean {
  switch (recorded.kind) {
    case 'empty':
      return received.bytes.length === 0;
    case 'json':
    case 'json-untyped':
      if (recorded.kind === 'json' && !/^application\/json/.test(type)) return false;
      if (recorded.kind === 'json-untyped' && /^application\/json/.test(type)) return false;
      try {
        return (
          JSON.stringify(JSON.parse(received.bytes.toString('utf8'))) ===
          JSON.stringify(recorded.json)
        );
      } catch {
        return false;
      }
    case 'text':
      return received.bytes.toString('utf8') === recorded.text;
    case 'binary':
      return createHash('sha256').update(received.bytes).digest('hex') === recorded.sha256;
  }
}
