import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Route } from '../router.js';

const require = createRequire(import.meta.url);

/** A file the docs pages load, served by the API itself (no CDN): its path and content type. */
interface Asset {
  file: () => string;
  type: string;
  /** Changes to the file's text before it is served. */
  rewrite?: (text: string) => string;
}

const swagger = (name: string) => () =>
  join(dirname(require.resolve('swagger-ui-dist/package.json')), name);
const redoc = (name: string) => () =>
  join(dirname(require.resolve('redoc/package.json')), 'bundles', name);

const JS = 'text/javascript; charset=utf-8';

/** URL path → the npm file behind it. */
const ASSETS: Record<string, Asset> = {
  '/docs/swagger-ui.css': { file: swagger('swagger-ui.css'), type: 'text/css; charset=utf-8' },
  '/docs/swagger-ui-bundle.js': { file: swagger('swagger-ui-bundle.js'), type: JS },
  '/docs/favicon-32x32.png': { file: swagger('favicon-32x32.png'), type: 'image/png' },
  '/redoc/redoc.standalone.js': {
    file: redoc('redoc.standalone.js'),
    type: JS,
    // ReDoc's sidebar loads its logo from a CDN (the CSP would block it): an empty image instead,
    // which ReDoc hides.
    rewrite: (text) => text.replaceAll('https://cdn.redoc.ly/redoc/logo-mini.svg', 'data:,'),
  },
};

/**
 * The routes of the docs pages' files: Swagger UI (`swagger-ui-dist`) and ReDoc's standalone
 * bundle (`redoc`), read from their npm packages on first use and kept in memory, cached by
 * browsers for a day.
 *
 * @example
 * const routes = { ...docsAssetRoutes() }; // '/docs/swagger-ui-bundle.js' → the bundle's bytes
 */
export function docsAssetRoutes(): Record<string, Route> {
  return Object.fromEntries(
    Object.entries(ASSETS).map(([path, asset]) => {
      // Read once, off the event loop (a bundle is megabytes): requests in flight keep running.
      let bytes: Promise<Buffer> | undefined;
      const route: Route = {
        methods: {
          GET: async (context) => {
            bytes ??= readFile(asset.file()).then(
              (raw) => (asset.rewrite ? Buffer.from(asset.rewrite(raw.toString('utf8'))) : raw),
              (error: unknown) => {
                bytes = undefined; // the next request tries again
                throw error;
              },
            );
            const body = await bytes;
            context.contentType = asset.type;
            context.headers.push('cache-control', 'public, max-age=86400');
            return body;
          },
        },
      };
      return [path, route];
    }),
  );
}
