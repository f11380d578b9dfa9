import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { MLFLOW_GOLDEN_DIR } from '../fixtures.js';

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
  /** What a hand-built request (`heart-recorder/1.0`) tries. */
  note?: string;
}

/** A recorded request or response body. */
export type RecordedBody =
  | { kind: 'json' | 'json-untyped'; json: unknown }
  | { kind: 'text'; size: number; text: string }
  | { kind: 'binary'; size: number; sha256: string; base64_head: string }
  | { kind: 'omitted'; size: number; sha256: string; head?: string; base64_head?: string }
  | { kind: 'empty' };

/** A request as the replay server received it. */
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

const recorded = new Map<string, readonly Exchange[]>();

/**
 * Every recorded exchange of one recording, in order; read once. `rest`: the tracking API
 * (`golden/rest/exchanges.jsonl`, 182 exchanges, SPEC §3); `registry`: the model registry
 * (`golden/registry/exchanges.jsonl`, 338 exchanges, SPEC §8). Seqs restart in each file.
 *
 * @example
 * ```ts
 * const errors = loadExchanges().filter((exchange) => exchange.scenario === 'errors-sqlite');
 * const registry = loadExchanges('registry').filter((exchange) => exchange.status !== 200);
 * ```
 */
export function loadExchanges(recording: 'rest' | 'registry' = 'rest'): readonly Exchange[] {
  let exchanges = recorded.get(recording);
  if (!exchanges) {
    exchanges = readFileSync(join(MLFLOW_GOLDEN_DIR, recording, 'exchanges.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Exchange);
    recorded.set(recording, exchanges);
  }
  return exchanges;
}

/** Whether `received` is the recorded request: same method, path, query and body. */
export function isRecordedRequest(
  exchange: Exchange,
  received: Received,
  rawPath: string,
  type: string,
): boolean {
  return (
    exchange.method === received.method &&
    exchange.path === rawPath &&
    sameQuery(exchange.query, received.query) &&
    sameBody(exchange.request_body, received, type)
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
    case 'omitted':
      return createHash('sha256').update(received.bytes).digest('hex') === recorded.sha256;
  }
}
