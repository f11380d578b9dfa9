import type { Context } from '../context.js';
import { openApiDocument } from '../openapi/openapi-document.js';
import type { Route } from '../router.js';
import type { Validators } from '../validators.js';
import { docsAssetRoutes } from './docs-assets.js';

/**
 * The docs pages' Content-Security-Policy: scripts, styles, fonts, images and requests from this
 * origin only (styles may be inline: both UIs set them from script; workers may be blobs: ReDoc's
 * search), no frames, no forms, no `<base>`.
 */
const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SWAGGER_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>heart inference API — Swagger UI</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"><link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head><body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/swagger-init.js"></script>
</body></html>
`;

// No validator badge (it would call validator.swagger.io), the document from this server.
const SWAGGER_INIT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  validatorUrl: null,
  deepLinking: true,
  displayRequestDuration: true,
  defaultModelsExpandDepth: 0,
});
`;

const REDOC_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>heart inference API — ReDoc</title><link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head><body><redoc spec-url="/openapi.json"></redoc>
<script src="/redoc/redoc.standalone.js"></script>
</body></html>
`;

/**
 * The docs as FastAPI offers them: `GET /docs` (Swagger UI, "Try it out" sends real requests),
 * `GET /redoc` (ReDoc), `GET /openapi.json` (also at `/docs/openapi.json`), every script and
 * style served from the npm packages by the API itself, the pages under {@link DOCS_CSP}. The
 * document is built once per input schema: a model swap brings its own.
 *
 * @example
 * const docs = docsRoutes({ batchLimit: 1000, version: '1.0.0', modelName: 'heart-disease', validators });
 * const routes = { ...docs.routes };
 */
export function docsRoutes(options: {
  batchLimit: number;
  version: string;
  modelName: string;
  /** The validators of the model being served: the document shows its input schema. */
  validators: () => Validators;
}): { routes: Record<string, Route> } {
  const documents = new WeakMap<Validators, string>();
  const document = () => {
    const validators = options.validators();
    let text = documents.get(validators);
    if (!text) {
      text = JSON.stringify(
        openApiDocument({ ...options, patientSchema: validators.patientSchema }),
      );
      documents.set(validators, text);
    }
    return text;
  };
  const page = (html: string): Route => ({
    methods: {
      GET: (context: Context) => {
        context.contentType = 'text/html; charset=utf-8';
        context.headers.push('content-security-policy', DOCS_CSP, 'referrer-policy', 'no-referrer');
        return html;
      },
    },
  });
  const script: Route = {
    methods: {
      GET: (context) => {
        context.contentType = 'text/javascript; charset=utf-8';
        return SWAGGER_INIT;
      },
    },
  };
  const openApi: Route = { methods: { GET: () => document() } };
  return {
    routes: {
      '/docs': page(SWAGGER_PAGE),
      '/docs/swagger-init.js': script,
      '/redoc': page(REDOC_PAGE),
      '/openapi.json': openApi,
      '/docs/openapi.json': openApi,
      ...docsAssetRoutes(),
    },
  };
}
