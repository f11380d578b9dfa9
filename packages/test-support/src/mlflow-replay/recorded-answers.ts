import { type Exchange, isRecordedRequest, loadExchanges, type Received } from './exchanges.js';

/** The recorded answers of the errors scenario the replay server reuses, by what they show. */
export type ErrorCase =
  | '/version'
  | '/health'
  | 'html-404'
  | 'html-500'
  | 'content-type'
  | 'missing-name';

/** The recorded exchanges one replay server answers from. */
export class RecordedAnswers {
  /** The flow's scenario (`client-sqlite-<scenario>…`) and its readback. */
  readonly flow: readonly Exchange[];
  readonly #exchanges: readonly Exchange[];
  readonly #errors = loadExchanges().filter((exchange) => exchange.scenario === 'errors-sqlite');

  readonly #answered = new Set<Exchange>();

  /**
   * `recordedScenario`: only the exchanges of that scenario, or of the scenarios it is the prefix
   * of (`registry-sqlite` → `registry-sqlite-setup`, …), answer verbatim (default: any).
   */
  constructor(scenario: string, recordedScenario?: string) {
    this.#exchanges = [...loadExchanges('rest'), ...loadExchanges('registry')].filter(
      (exchange) =>
        recordedScenario === undefined ||
        exchange.scenario === recordedScenario ||
        exchange.scenario.startsWith(`${recordedScenario}-`),
    );
    this.flow = loadExchanges('rest').filter((exchange) =>
      exchange.scenario.startsWith(`client-sqlite-${scenario}`),
    );
  }

  /**
   * The recorded exchange whose request is exactly `received`: the first such one not answered
   * yet (the same request was recorded with different answers as the server's state moved on),
   * else the last one (a retry gets the answer again).
   */
  verbatim(received: Received, rawPath: string, type: string): Exchange | undefined {
    const matches = this.#exchanges.filter((exchange) =>
      isRecordedRequest(exchange, received, rawPath, type),
    );
    const exchange = matches.find((item) => !this.#answered.has(item)) ?? matches.at(-1);
    if (exchange) this.#answered.add(exchange);
    return exchange;
  }

  /** A copy of the recorded 200 answer of an endpoint in the flow's scenario. */
  template(method: string, endpoint: string): unknown {
    const exchange = this.flow.find(
      (item) =>
        item.method === method &&
        item.path === `/api/2.0/mlflow/${endpoint}` &&
        item.status === 200,
    );
    if (exchange?.response_body.kind !== 'json')
      throw new Error(`no recorded ${method} ${endpoint}`);
    return structuredClone(exchange.response_body.json);
  }

  /** The recorded `runs/create` answer for a run of this name (else the first one). */
  runCreate(runName: unknown): { run: { info: Record<string, unknown> } } {
    const creates = this.flow.filter(
      (exchange) => exchange.method === 'POST' && exchange.path.endsWith('/runs/create'),
    );
    const exchange =
      creates.find(
        (item) => (item.request_body as { json: { run_name: string } }).json.run_name === runName,
      ) ?? creates[0]!;
    return (exchange.response_body as { json: { run: { info: Record<string, unknown> } } }).json;
  }

  /** A recorded answer of the errors scenario, by what it shows. */
  errorCase(which: ErrorCase): Exchange {
    const find = (predicate: (exchange: Exchange) => boolean) =>
      this.#errors.find((exchange) => predicate(exchange))!;
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
