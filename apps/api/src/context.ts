import type { ServerResponse } from 'node:http';

/** What a handler may answer: JSON (serialised for it), a ready string, or bytes (a file). */
type Json = Record<string, unknown> | unknown[];
export type Answer = Json | string | Buffer;

/**
 * Whose error bodies a route answers with: heart's `{ error, message, requestId, details? }`,
 * MLflow's scoring server's `{ error_code, message }` (415 as text), or the Open Inference
 * Protocol's `{ error }`.
 */
export type Protocol = 'heart' | 'mlflow' | 'oip';

/**
 * One request on its way through the app: made by the router, read by the handlers, answered by
 * the responder. One object per request, with a fixed shape.
 */
export interface Context {
  /** The request id (the caller's `x-request-id` when well-formed), echoed in the answer. */
  id: string;
  /** The parsed body, for routes that read one (see `Route.body`). */
  body: unknown;
  response: ServerResponse;
  /** Content type of the answer (JSON unless a handler says otherwise). */
  contentType: string;
  /** Extra answer headers, flat `[name, value, …]`. */
  headers: string[];
  /** performance.now() when the request arrived. */
  started: number;
  /** The route label for metrics (`unmatched` for unknown paths, a template for OIP paths). */
  route: string;
  protocol: Protocol;
  /** Path parameters of a templated route (`{ name, version }`). */
  params: Record<string, string> | undefined;
}

/** Answers one method of one route; a synchronous result is answered without a promise. */
export type Handler = (context: Context) => Answer | Promise<Answer>;
