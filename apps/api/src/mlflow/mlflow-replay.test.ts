import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  closeServer,
  type Exchange,
  listenOnLoopback,
  MLFLOW_GOLDEN_DIR,
} from '@heart/test-support';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { createHttpServer } from '../http/http-server.js';
import { createMetrics } from '../metrics.js';
import type { PipelineBundle } from '../model-bundle.js';
import { loadBundleFromDir } from '../model-store.js';
import { clevelandRows, patientOf, writeModelDir } from '../test-support/fixtures.js';
import { rawExchange } from '../test-support/raw-http.js';

/**
 * Replays the 71 requests recorded from a real `mlflow models serve` (SPEC §9) against heart's
 * `/invocations`, adapted to heart's 13 columns: the recording's x1, x2, x3 each become a group of
 * heart's columns, and every number a real Cleveland patient's values. Checks the status, the
 * `error_code`, the content type and the shape of every answer. Where MLflow answered 500 to a
 * client's mistake heart answers 4xx, and the 63 MiB request gets heart's 413 (BODY_LIMIT).
 */

const exchanges: Exchange[] = readFileSync(
  join(MLFLOW_GOLDEN_DIR, 'scoring/exchanges.jsonl'),
  'utf8',
)
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as Exchange);

/** The recording's columns, each a group of heart's (the first of each takes booleans and odd values). */
const GROUPS: Record<string, string[]> = {
  x1: ['sex', 'age', 'cp', 'trestbps'],
  x2: ['fbs', 'chol', 'restecg', 'thalach'],
  x3: ['exang', 'oldpeak', 'slope', 'ca', 'thal'],
};
const BY_POSITION = ['x1', 'x2', 'x3'];

/** Where heart answers differently from MLflow, on purpose (README, "MLflow scoring"). */
const DIFFERENT: Record<number, { status: number; error_code?: string }> = {
  51: { status: 415 }, // no Content-Type: MLflow 500
  60: { status: 415 }, // UTF-16: MLflow 500
  62: { status: 400, error_code: 'BAD_REQUEST' }, // bytes that are not UTF-8: MLflow 500
  71: { status: 413, error_code: 'RESOURCE_LIMIT_EXCEEDED' }, // 63 MiB: past BODY_LIMIT
};

let patients: Record<string, number | null>[];
let bundle: PipelineBundle;
let server: Server;
let port: number;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const fixture = await writeModelDir('random-forest');
  cleanup = fixture.cleanup;
  bundle = await loadBundleFromDir(fixture.dir);
  // Patients without missing values, so that every adapted number is a valid one.
  patients = (await clevelandRows()).map(patientOf).filter((p) => p.ca !== null && p.thal !== null);
  const app = createApp({
    config: { bodyLimit: 1_048_576, batchLimit: 1000, threshold: undefined },
    holder: { bundle },
    metrics: createMetrics(),
    logger: pino({ level: 'silent' }),
    version: '9.8.7',
  });
  server = createHttpServer(app.handle);
  await listenOnLoopback(server);
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await closeServer(server);
  await cleanup();
});

/** One recorded value of column `name` in row `row`, as heart's values for the group. */
function expand(name: string, value: unknown, row: number): [string, unknown][] {
  const group = GROUPS[name];
  if (!group) return [[name, value]];
  const patient = patients[row % patients.length]!;
  return group.map((column, i) => {
    if (typeof value === 'number') return [column, patient[column]];
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
      return [column, String(patient[column])];
    }
    return [column, i === 0 ? value : patient[column]];
  });
}

const expandRecord = (record: Record<string, unknown>, row: number) =>
  Object.fromEntries(Object.entries(record).flatMap(([name, value]) => expand(name, value, row)));
const expandList = (values: unknown[], row: number, names?: unknown[]) =>
  values.flatMap((value, i) =>
    expand(String(names?.[i] ?? BY_POSITION[i]), value, row).map(([, v]) => v),
  );
const expandNames = (names: unknown[]) => names.flatMap((name) => GROUPS[String(name)] ?? [name]);

/** A recorded JSON body with heart's columns and patients in place of x1..x3. */
function adaptJson(body: unknown): unknown {
  if (Array.isArray(body))
    return body.map((item, row) => (isRecord(item) ? expandRecord(item, row) : item));
  if (!isRecord(body)) return body;
  const out: Record<string, unknown> = { ...body };
  const split = body.dataframe_split;
  if (isRecord(split) && Array.isArray(split.data)) {
    out.dataframe_split = {
      ...split,
      ...(Array.isArray(split.columns) ? { columns: expandNames(split.columns) } : {}),
      data: split.data.map((row, r) =>
        Array.isArray(row) ? expandList(row, r, split.columns as unknown[]) : row,
      ),
    };
  }
  for (const key of ['dataframe_records', 'instances', 'inputs']) {
    const value = body[key];
    if (Array.isArray(value)) {
      out[key] = value.map((item, r) =>
        Array.isArray(item) ? expandList(item, r) : isRecord(item) ? expandRecord(item, r) : item,
      );
    } else if (key === 'inputs' && isRecord(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).flatMap(([name, column]) =>
          (GROUPS[name] ?? [name]).map((heart, i) => [
            heart,
            (column as unknown[]).map((v, r) => expand(name, v, r)[i]![1]),
          ]),
        ),
      );
    }
  }
  return out;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** A recorded CSV with heart's columns: a header naming x1..x3 (or none), rows of patients. */
function adaptCsv(text: string): string {
  const lines = text.split('\n').filter((line) => line !== '');
  const header = lines[0]?.includes('x1') ? lines[0].split(',') : undefined;
  const rows = (header ? lines.slice(1) : lines).map((line, r) =>
    line.split(',').flatMap((cell, i) => {
      const name = header ? header[i]! : BY_POSITION[i]!;
      if (!GROUPS[name]) return [cell];
      const value = cell !== '' && Number.isFinite(Number(cell)) ? 0 : cell;
      return expand(name, value, r).map(([, v]) => (v === null ? '' : String(v)));
    }),
  );
  return (
    [...(header ? [expandNames(header).join(',')] : []), ...rows.map((row) => row.join(','))].join(
      '\n',
    ) + '\n'
  );
}

/** The request's bytes as recorded, with the body adapted and Content-Length fixed. */
function requestBytes(exchange: Exchange): {
  bytes: Buffer;
  rows: number | undefined;
  keepWriting?: Buffer;
} {
  const recorded = exchange.request_body;
  const contentType = exchange.request_headers['Content-Type'] ?? '';
  let body: Buffer | undefined;
  let rows: number | undefined;
  let keepWriting: Buffer | undefined;
  if (recorded.kind === 'json' || recorded.kind === 'json-untyped') {
    const adapted = adaptJson(recorded.json);
    rows = countRows(adapted);
    body = Buffer.from(JSON.stringify(adapted));
  } else if (recorded.kind === 'text') {
    if (contentType.startsWith('text/csv')) {
      body = Buffer.from(adaptCsv(recorded.text));
      rows = body.toString().trim().split('\n').length - 1;
    } else if (exchange.request_headers['Transfer-Encoding'] === 'chunked') {
      const json = JSON.stringify(adaptJson(JSON.parse(unchunk(recorded.text))));
      rows = 3;
      const half = json.length >> 1;
      const chunk = (part: string) => `${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`;
      body = Buffer.from(`${chunk(json.slice(0, half))}${chunk(json.slice(half))}0\r\n\r\n`);
    } else {
      body = Buffer.from(recorded.text);
    }
  } else if (recorded.kind === 'binary') {
    body = Buffer.from(recorded.base64_head, 'base64');
    if (exchange.seq === 60) {
      // The recorded UTF-16 body is the dataframe_split of seq 7; send it adapted, in UTF-16 with a BOM.
      const json = JSON.stringify(
        adaptJson(
          exchanges[6]!.request_body.kind === 'json' ? exchanges[6]!.request_body.json : {},
        ),
      );
      body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]);
    }
  } else if (recorded.kind === 'omitted') {
    body = Buffer.from(recorded.head ?? '');
    keepWriting = Buffer.alloc(64 * 1024, 0x20);
  }
  const headers = Object.entries(exchange.request_headers)
    .map(([name, value]) => {
      if (name === 'Host') return `Host: 127.0.0.1:${port}`;
      if (name === 'Content-Length' && body && !keepWriting)
        return `Content-Length: ${body.length}`;
      return `${name}: ${value}`;
    })
    .join('\r\n');
  const head = Buffer.from(
    `${exchange.method} ${exchange.path}${exchange.raw_query ? `?${exchange.raw_query}` : ''} HTTP/1.1\r\n${headers}\r\n\r\n`,
    'latin1',
  );
  return {
    bytes: body ? Buffer.concat([head, body]) : head,
    rows,
    ...(keepWriting ? { keepWriting } : {}),
  };
}

function unchunk(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const at = rest.indexOf('\r\n');
    const size = Number.parseInt(rest.slice(0, at), 16);
    if (!size) return out;
    out += rest.slice(at + 2, at + 2 + size);
    rest = rest.slice(at + 2 + size + 2);
  }
}

/** Rows in an adapted JSON body, for the formats that carry rows. */
function countRows(body: unknown): number | undefined {
  if (!isRecord(body)) return undefined;
  const split = body.dataframe_split;
  if (isRecord(split) && Array.isArray(split.data)) return split.data.length;
  for (const key of ['dataframe_records', 'instances', 'inputs']) {
    const value = body[key];
    if (Array.isArray(value)) return value.length;
    if (isRecord(value)) return (Object.values(value)[0] as unknown[] | undefined)?.length;
  }
  return undefined;
}

describe('POST /invocations replays a real `mlflow models serve` (71 recorded exchanges, adapted to heart)', () => {
  it('has the recording', () => {
    expect(exchanges).toHaveLength(71);
  });

  it.each(exchanges.map((exchange) => [exchange.seq, exchange.note, exchange] as const))(
    'seq %i: %s',
    async (_seq, _note, exchange) => {
      const { bytes, rows, keepWriting } = requestBytes(exchange);
      const answer = await rawExchange(port, bytes, {
        ...(keepWriting ? { keepWriting } : {}),
        head: exchange.method === 'HEAD',
      });
      const recordedJson =
        exchange.response_body.kind === 'json'
          ? (exchange.response_body.json as Record<string, unknown>)
          : undefined;
      const expected = DIFFERENT[exchange.seq] ?? {
        status: exchange.status,
        error_code: recordedJson?.error_code as string | undefined,
      };
      expect(answer.status).toBe(expected.status);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      const text = answer.body.toString('utf8');
      expect(text).not.toMatch(/Traceback|stack_trace|at .*\.js:\d+/);
      if (exchange.path !== '/invocations') {
        if (exchange.path === '/ping') {
          expect(answer.headers['content-type']).toBe('application/json');
          expect(answer.headers['content-length']).toBe('1');
          expect(text).toBe(exchange.method === 'HEAD' ? '' : '\n');
        }
        if (exchange.path === '/version') expect(text).toBe('9.8.7');
        return;
      }
      if (answer.status === 415) {
        expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
        // The same message as MLflow's up to its first full stop (the rest is shortened).
        const recordedText =
          exchange.response_body.kind === 'text' ? exchange.response_body.text : '';
        if (exchange.status === 415) expect(text.split('. ')[0]).toBe(recordedText.split('. ')[0]);
        return;
      }
      expect(answer.headers['content-type']).toBe('application/json');
      const json = JSON.parse(text) as Record<string, unknown>;
      if (answer.status === 200) {
        const predictions = json.predictions as { prediction: number; probability: number }[];
        expect(Object.keys(json)).toEqual(['predictions']);
        expect(predictions).toHaveLength(rows!);
        for (const item of predictions) {
          expect(Object.keys(item)).toEqual(['prediction', 'probability']);
          expect([0, 1]).toContain(item.prediction);
          expect(item.probability).toBeGreaterThanOrEqual(0);
          expect(item.probability).toBeLessThanOrEqual(1);
        }
        return;
      }
      expect(Object.keys(json).sort()).toEqual(['error_code', 'message']);
      if (expected.error_code) expect(json.error_code).toBe(expected.error_code);
      expect(Buffer.byteLength(text)).toBeLessThan(16 * 1024);
    },
  );

  it("answers the pipeline's own probabilities, in order, with the pipeline's threshold or params.threshold", async () => {
    const rows = patients.slice(0, 5);
    const columns = Object.keys(rows[0]!);
    const postText = async (text: string) =>
      rawExchange(
        port,
        Buffer.from(
          `POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
        ),
      );
    const post = (body: unknown) => postText(JSON.stringify(body));
    const split = {
      dataframe_split: { columns, data: rows.map((row) => columns.map((c) => row[c])) },
    };
    const answer = JSON.parse((await post(split)).body.toString()) as {
      predictions: { prediction: number; probability: number }[];
    };
    answer.predictions.forEach((item, i) => {
      const probability = bundle.pipeline.predictProbaRow(rows[i]!);
      expect(item).toEqual({ probability, prediction: probability >= 0.5 ? 1 : 0 });
    });
    // As MLflow's Python client writes it (json.dumps' spacing, pandas' index first), and indented
    // (parsed by JSON.parse): the same answer, whichever path reads it.
    const indexed = { dataframe_split: { index: [0, 1, 2, 3, 4], ...split.dataframe_split } };
    const spaced = JSON.stringify(indexed).replaceAll('":', '": ').replaceAll(',', ', ');
    for (const text of [spaced, JSON.stringify(indexed, null, 2)]) {
      expect(JSON.parse((await postText(text)).body.toString())).toEqual(answer);
    }
    const strict = JSON.parse(
      (await post({ ...split, params: { threshold: 1 } })).body.toString(),
    ) as { predictions: { prediction: number }[] };
    expect(strict.predictions.map((item) => item.prediction)).toEqual(
      rows.map((row) => (bundle.pipeline.predictProbaRow(row) >= 1 ? 1 : 0)),
    );
    // null for a nullable field is imputed, as /predict does it.
    const imputed = { dataframe_records: [{ ...rows[0], ca: null, thal: null }] };
    const one = JSON.parse((await post(imputed)).body.toString()) as {
      predictions: { probability: number }[];
    };
    expect(one.predictions[0]!.probability).toBe(
      bundle.pipeline.predictProbaRow({ ...rows[0], ca: null, thal: null }),
    );
  });
});
