import type { ServerResponse } from 'node:http';
import type { Exchange } from './exchanges.js';
import { pythonJsonDumps } from './python-json.js';

/** What the replay server sends back: JSON, a recorded answer verbatim, or bytes. */
export type Answer =
  | { json: unknown; status?: number }
  | { recorded: Exchange }
  | { bytes: Buffer; headers: Record<string, string> };

/** MLflow's 404 `RESOURCE_DOES_NOT_EXIST`. */
export function notFound(message: string): Answer {
  return errorAnswer(404, 'RESOURCE_DOES_NOT_EXIST', message);
}

/** MLflow's JSON error. */
export function errorAnswer(status: number, code: string, message: string): Answer {
  return { status, json: { error_code: code, message } };
}

/** Writes an answer: MLflow pretty-prints its JSON (2-space indent), errors in Python's spacing. */
export function sendAnswer(response: ServerResponse, answer: Answer): void {
  if ('recorded' in answer) {
    replayExchange(answer.recorded, response);
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

/** Writes a recorded answer as it was recorded (status, headers, body content). */
export function replayExchange(exchange: Exchange, response: ServerResponse): void {
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

/** MLflow's server pretty-prints its JSON answers (2-space indent). */
function serialise(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
