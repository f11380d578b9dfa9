import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context, Handler } from './context.js';
import { readJsonBody } from './read-json-body.js';
import type { Responder } from './responder.js';
import { validationProblem } from './validation-errors.js';
import type { Validators } from './validators.js';

/** The content type of every answer unless a handler says otherwise. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** One path: a handler per method (GET also answers HEAD), and for POST routes the body's checks. */
export interface Route {
  methods: Record<string, Handler>;
  /** The request body's schema: the route then reads a JSON body and checks it first. */
  body?: 'patient' | 'batch';
  /** Names allowed at the top of the body, for messages. */
  rootFields?: readonly string[];
}

/** Paths (without a trailing slash or query) to their routes. */
type RouteTable = Record<string, Route>;

/** What {@link createRouter} dispatches over, and the limits it reads bodies with. */
export interface RouterOptions {
  routes: RouteTable;
  responder: Responder;
  /** Largest request body, bytes (413 past it). */
  bodyLimit: number;
  /** Most rows a batch may carry, for the BATCH_TOO_LARGE message. */
  batchLimit: number;
  /** The validators of the model being served (its input schema), asked once per request. */
  validators: () => Validators;
}

/**
 * A `node:http` request listener over a route table: 404 for an unknown path, 405 with `Allow`
 * for a wrong method, then (for routes with a validator) the JSON body read and checked, then the
 * handler. A query string and trailing slashes do not change the route.
 *
 * @example
 * const routes = { '/health': healthRoute() };
 * const handle = createRouter({ routes, responder, bodyLimit: 1_048_576, batchLimit: 1000 });
 * createServer(handle).listen(8000);
 */
export function createRouter(options: RouterOptions) {
  const { routes, bodyLimit, batchLimit } = options;
  const { requestId, answer, fail } = options.responder;

  return (request: IncomingMessage, response: ServerResponse): void => {
    const started = performance.now();
    const id = requestId(request);
    const path = routePath(request.url ?? '/');
    const route = routes[path];
    const method = request.method === 'HEAD' ? 'GET' : (request.method ?? 'GET');
    const context: Context = {
      id,
      body: undefined,
      response,
      contentType: JSON_CONTENT_TYPE,
      headers: [],
      started,
      route: route ? path : 'unmatched',
    };
    if (!route) {
      request.resume();
      fail(context, {
        code: 'NOT_FOUND',
        message: `no route ${request.method} ${path}; see /docs`,
      });
      return;
    }
    const handler = route.methods[method];
    if (!handler) {
      request.resume();
      const allowed = Object.keys(route.methods).flatMap((name) =>
        name === 'GET' ? ['GET', 'HEAD'] : [name],
      );
      context.headers.push('allow', allowed.join(', '));
      const message = `${request.method} is not allowed on ${path}; use ${allowed.join(' or ')}`;
      fail(context, { code: 'METHOD_NOT_ALLOWED', message });
      return;
    }
    const schema = route.body;
    if (!schema) {
      request.resume();
      answer(context, handler);
      return;
    }
    readJsonBody(request, bodyLimit, (problem, body) => {
      if (problem) {
        // A body we stopped reading leaves the connection in an unknown state: close it.
        if (problem.code === 'PAYLOAD_TOO_LARGE') context.headers.push('connection', 'close');
        return fail(context, problem);
      }
      const validators = options.validators();
      const validate = validators[schema];
      if (!validate(body)) {
        return fail(
          context,
          validationProblem(validate.errors ?? [], {
            fields: validators.fields,
            rootFields: route.rootFields,
            batchLimit,
          }),
        );
      }
      context.body = body;
      answer(context, handler);
    });
  };
}

/** The path of a request URL as the route table knows it: no query, no trailing slashes. */
function routePath(url: string): string {
  const query = url.indexOf('?');
  return (query < 0 ? url : url.slice(0, query)).replace(/(.)\/+$/, '$1');
}
