import { docsPage } from '../docs-page.js';
import { openApiDocument } from '../openapi-document.js';
import type { Route } from '../router.js';
import type { Validators } from '../validators.js';

/**
 * `GET /docs` (a page for people) and `GET /docs/openapi.json` (the OpenAPI 3.1 document), from
 * one document built on first use.
 *
 * @example
 * const docs = docsRoutes({ batchLimit: 1000, version: '1.0.0', validators: () => fallback });
 * const routes = { '/docs': docs.page, '/docs/openapi.json': docs.openApi };
 */
export function docsRoutes(options: {
  batchLimit: number;
  version: string;
  /** The validators of the model being served: the document shows its input schema. */
  validators: () => Validators;
}): {
  page: Route;
  openApi: Route;
} {
  // One document per input schema, built on first use: a model swap brings its own.
  const documents = new WeakMap<Validators, Record<string, unknown>>();
  const getDocument = () => {
    const validators = options.validators();
    let document = documents.get(validators);
    if (!document) {
      document = openApiDocument({ ...options, patientSchema: validators.patientSchema });
      documents.set(validators, document);
    }
    return document;
  };
  return {
    page: {
      methods: {
        GET: (context) => {
          context.contentType = 'text/html; charset=utf-8';
          return docsPage(getDocument());
        },
      },
    },
    openApi: { methods: { GET: () => getDocument() } },
  };
}
