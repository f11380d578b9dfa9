import type { ServerResponse } from 'node:http';

/** What a handler may answer: JSON (serialised for it) or a ready string. */
export type Json = Record<string, unknown> | unknown[];

/**
 * One request on its way through the app: made by the router, read by the handlers, answered by
 * the responder. One object per request, with a fixed shape.
 */
export interface Context {
  /** The request id (the caller's `x-request-id` when well-formed), echoed in the answer. */
  id: string;
  /** The parsed and validated JSON body, for routes that take one. */
  body: unknown;
  response: ServerResponse;
  /** Content type of the answer (JSON unless a handler says otherwise). */
  contentType: string;
  /** Extra answer headers, flat `[name, value, …]`. */
  headers: string[];
  /** performance.now() when the request arrived. */
  started: number;
  /** The route label for metrics (`unmatched` for unknown paths). */
  route: string;
}

/** Answers one method of one route; a synchronous result is answered without a promise. */
export type Handler = (context: Context) => Json | string | Promise<Json | string>;
