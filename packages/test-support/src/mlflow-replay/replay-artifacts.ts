import { readdir, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { type Answer, notFound } from './answers.js';
import type { Received } from './exchanges.js';
import type { ReplayRun } from './replay-run.js';

/** Proxied artifacts: `<exp>/<run>/artifacts/<path>` → bytes and the content type sent. */
export type ArtifactMap = Map<string, { bytes: Buffer; contentType: string }>;

const PREFIX = '/api/2.0/mlflow-artifacts/artifacts';

/**
 * The artifact proxy (`mlflow server --serve-artifacts`): `PUT` stores, `GET` of the root lists
 * one folder (`?path=`), `GET` of a path downloads (text types as `text/plain`, as Flask sends
 * them). `undefined` for anything else.
 */
export function answerArtifactCall(artifacts: ArtifactMap, received: Received): Answer | undefined {
  const rest = received.path.slice(PREFIX.length).replace(/^\/+/, '');
  if (received.method === 'PUT' && rest !== '') {
    artifacts.set(rest, {
      bytes: received.bytes,
      contentType: String(received.headers['content-type'] ?? ''),
    });
    return { json: {} };
  }
  if (received.method === 'GET' && rest === '') {
    const folder = (received.query.path?.[0] ?? '').replace(/\/+$/, '');
    const names = new Map<string, { isDir: boolean; size: number }>();
    for (const [key, value] of artifacts) {
      if (!key.startsWith(`${folder}/`)) continue;
      const [head, ...tail] = key.slice(folder.length + 1).split('/');
      names.set(head!, { isDir: tail.length > 0, size: value.bytes.length });
    }
    const files = [...names]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([path, entry]) =>
        entry.isDir ? { path, is_dir: true } : { path, is_dir: false, file_size: entry.size },
      );
    return { json: files.length > 0 ? { files } : {} };
  }
  if (received.method === 'GET') {
    const stored = artifacts.get(rest);
    if (!stored) return notFound(`File not found: ${rest}`);
    const name = rest.slice(rest.lastIndexOf('/') + 1);
    return {
      bytes: stored.bytes,
      headers: {
        'Content-Type': stored.contentType.startsWith('text/') ? 'text/plain' : stored.contentType,
        'Content-Disposition': `attachment; filename=${name}`,
      },
    };
  }
  return undefined;
}

/**
 * `GET artifacts/list` of the tracking API: a local artifact root is listed from disk, a
 * `mlflow-artifacts:` one from what was uploaded.
 */
export async function listThroughTracking(
  run: ReplayRun | undefined,
  runId: string,
  artifacts: ArtifactMap,
  path: string,
): Promise<Answer> {
  if (!run) return notFound(`Run with id=${runId} not found`);
  const root = String(run.info.artifact_uri);
  if (!root.startsWith('mlflow-artifacts:')) {
    const files = await listFolder(root, path);
    return { json: files.length > 0 ? { root_uri: root, files } : { root_uri: root } };
  }
  const runPath = root.replace(/^mlflow-artifacts:\/*/, '');
  const folder = path === '' ? runPath : `${runPath}/${path}`;
  const files: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const [key, value] of artifacts) {
    if (!key.startsWith(`${folder}/`)) continue;
    const [head, ...tail] = key.slice(folder.length + 1).split('/');
    const child = path === '' ? head! : `${path}/${head}`;
    if (seen.has(child)) continue;
    seen.add(child);
    files.push(
      tail.length > 0
        ? { path: child, is_dir: true }
        : { path: child, is_dir: false, file_size: value.bytes.length },
    );
  }
  return { json: files.length > 0 ? { root_uri: root, files } : { root_uri: root } };
}

/** One level of `<root>/<path>` as the server lists it: sorted, temporary files left out. */
async function listFolder(root: string, path: string): Promise<Record<string, unknown>[]> {
  const relative = path
    .replaceAll('\\', '/')
    .replace(/^\.\/+/, '')
    .replace(/\/+$/, '');
  const folder = relative === '' ? root : join(root, ...relative.split('/'));
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  const files: Record<string, unknown>[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.tmp-')) continue;
    const child = relative === '' ? entry.name : posix.join(relative, entry.name);
    if (entry.isDirectory()) files.push({ path: child, is_dir: true });
    else {
      const size = (await stat(join(folder, entry.name))).size;
      files.push({ path: child, is_dir: false, file_size: size });
    }
  }
  return files;
}
