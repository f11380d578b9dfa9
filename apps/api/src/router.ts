import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context, Handler, Protocol } from './context.js';
import type { ApiProblem } from './errors.js';
import { jsonContentProblem } from './http/content-type.js';
import { parseJsonBody } from './http/parse-json.js';
import { readBody } from './http/read-body.js';
import type { TurnSlicer } from './http/turn-slicer.js';
import type { Responder } from './responder.js';

/** The content type of every answer unless a handler says otherwise. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** How a route's request body is read: its content types, then its bytes. */
export interface BodyFormat {
  /** The problem with the request's content type (415), or undefined. */
  accept(contentType: string | undefined): ApiProblem | undefined;
  /** The bytes as the handler reads them (`context.body`); throws an ApiError for bad bytes. */
  parse(bytes: Buffer, contentType: string | undefined): unknown;
}

/** heart's JSON bodies: `application/json` (UTF-8, a BOM allowed), parsed, not yet validated. */
export const JSON_BODY: BodyFormat = {
  accept: jsonContentProblem,
  parse: (bytes) => parseJsonBody(bytes, { bom: true }),
};

/**
 * A JSON body the handler reads itself (`context.body` is its bytes, a `Buffer`): the content types
 * of {@link JSON_BODY}; the handler parses with `parseJsonBody` what it does not read itself.
 */
export const JSON_BYTES: BodyFormat = {
  accept: jsonContentProblem,
  parse: (bytes) => bytes,
};

/** One path: a handler per method (GET also answers HEAD), and for POST routes the body's format. */
export interface Route {
  methods: Record<string, Handler>;
  /** Whose error bodies the route answers with. Default `heart`. */
  protocol?: Protocol;
  /** The route reads a body in this format before its handler runs. */
  body?: BodyFormat;
}

/** A templated path's route, with the label metrics count it under and its parameters. */
export interface Resolved {
  route: Route;
  label: string;
  params: Record<string, string>;
}

/** What {@link createRouter} dispatches over, and the limit it reads bodies with. */
export interface RouterOptions {
  /** Paths (without a trailing slash or query) to their routes. */
  routes: Record<string, Route>;
  /** Templated paths (`/v2/models/{name}/infer`), asked when the table has no such path. */
  resolve?: (path: string) => Resolved | undefined;
  responder: Responder;
  /** Largest request body, bytes (413 past it). */
  bodyLimit: number;
  /** Where handlers run (`createTurnSlicer`). */
  slicer: TurnSlicer;
}

/**
 * A `node:http` request listener over a route table: 404 for an unknown path (its message does
 * not repeat the path), 405 with `Allow` for a wrong method, then (for routes with a body format)
 * the body read and parsed, then the handler. A query string and trailing slashes do not change
 * the route.
 *
 * @example
 * const routes = { '/health': healthRoute() };
 * const handle = createRouter({ routes, responder, bodyLimit: 1_048_576 });
 * createServer(handle).listen(8000);
 */
export function createRouter(options: RouterOptions) {
  const { routes, bodyLimit, resolve } = options;
  const { requestId, answer, fail } = options.responder;
  // Handlers run in slices of the event loop: new connections get accepted between them.
  const { run } = options.slicer;

  return (request: IncomingMessage, response: ServerResponse): void => {
    const started = performance.now();
    const path = routePath(request.url ?? '/');
    const fixed = routes[path];
    const resolved = fixed ? undefined : resolve?.(path);
    const route = fixed ?? resolved?.route;
    const method = request.method === 'HEAD' ? 'GET' : (request.method ?? 'GET');
    const context: Context = {
      id: requestId(request),
      body: undefined,
      response,
      contentType: JSON_CONTENT_TYPE,
      headers: [],
      started,
      route: fixed ? path : (resolved?.label ?? 'unmatched'),
      protocol: route?.protocol ?? 'heart',
      params: resolved?.params,
    };
    if (!route) {
      request.resume();
      fail(context, { code: 'NOT_FOUND', message: 'no such route; see /docs for the routes' });
      return;
    }
    const handler = route.methods[method];
    if (!handler) {
      request.resume();
      const allowed = Object.keys(route.methods).flatMap((name) =>
        name === 'GET' ? ['GET', 'HEAD'] : [name],
      );
      context.headers.push('allow', allowed.join(', '));
      const message = `this method is not allowed on ${context.route}; use ${allowed.join(' or ')}`;
      fail(context, { code: 'METHOD_NOT_ALLOWED', message });
      return;
    }
    const format = route.body;
    if (!format) {
      request.resume();
      run(() => answer(context, handler));
      return;
    }
    const contentType = request.headers['content-type'];
    const refused = format.accept(contentType);
    if (refused) {
      request.resume();
      fail(context, refused);
      return;
    }
    readBody(request, bodyLimit, (problem, bytes) => {
      if (problem) return fail(context, problem);
      run(() => {
        // A client gone while its request waited: nothing to answer, nothing to score. (The
        // socket says so: a pipelined request's response is not marked destroyed.)
        if (request.socket?.destroyed) return;
        answer(context, () => {
          context.body = format.parse(bytes!, contentType);
          return handler(context);
        });
      });
    });
  };
}

/** The path of a request URL as the route table knows it: no query, no trailing slashes. */
function routePath(url: string): string {
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  return path.length > 1 && path.endsWith('/') ? path.replace(/(.)\/+$/, '$1') : path;
}
