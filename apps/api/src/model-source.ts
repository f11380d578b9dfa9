import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTrackingClient } from '@heart/mlflow';
import type { ApiConfig } from './config.js';
import { loadBundleFromDir, loadBundleFromFolder, loadBundleFromMlflow } from './model-store.js';
import type { ModelSource } from './model-supervisor.js';

/**
 * Where the configured model comes from: `models/` (MODEL_DIR, reloaded on SIGHUP), a fixed MLflow
 * URI (`runs:/…`, `models:/<name>/<version>`), or a registry alias (`models:/<name>@<alias>`),
 * whose version is checked every poll and followed.
 */
export function modelSource(
  config: Pick<ApiConfig, 'modelDir' | 'modelUri' | 'batchLimit' | 'root' | 'cacheDir'> &
    Partial<Pick<ApiConfig, 'maxBytes' | 'runtime'>>,
  /** Where @heart/mlflow reads `MLFLOW_*` from (the tracking URI, credentials). */
  env: Record<string, string | undefined> = process.env,
): ModelSource {
  const uri = config.modelUri;
  if (!uri) return { load: () => loadBundleFromDir(config.modelDir, config) };
  if (!/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith('file:')) {
    const folder = resolve(config.root, uri.startsWith('file:') ? fileURLToPath(uri) : uri);
    return { load: () => loadBundleFromFolder(folder, config) };
  }
  const load = () => loadBundleFromMlflow(uri, { ...config, env });
  if (!/^models:\/[^/@]+@/.test(uri)) return { load };
  return {
    load,
    async current() {
      const client = createTrackingClient({ cwd: config.root, env });
      try {
        const { version } = await client.registry.resolveModelUri(uri);
        return `${version!.name}/${version!.version}`;
      } finally {
        await client.close();
      }
    },
  };
}
