import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactUri } from '@heart/internal';
import { invalidParameter } from '../errors.js';
import { posixNormpath } from './registry-validation.js';

/**
 * The server's check of a `model-versions/create` source (SPEC §8.2): a local path or `file:` URI
 * only with a run whose local artifact folder contains it; any other URI without relative path
 * segments (`runs:/r/../../etc` is refused). `runArtifactUri` looks the run up (its 404 stands).
 */
export async function validateModelSource(
  source: string,
  runId: string | undefined,
  runArtifactUri: (runId: string) => Promise<string>,
): Promise<void> {
  if (isLocalUri(source)) {
    let shown = source;
    if (runId) {
      const path = resolve(localPath(source));
      shown = path;
      const artifactUri = await runArtifactUri(runId);
      if (isLocalUri(artifactUri)) {
        const root = resolve(localPath(artifactUri));
        const inside = relative(root, path);
        if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) return;
      }
    }
    throw invalidParameter(
      `Invalid model version source: '${shown}'. To use a local path as a model version source, the run_id request parameter has to be specified and the local path has to be contained within the artifact directory of the run specified by the run_id.`,
    );
  }
  let unquoted = source;
  for (let next = unquotePlus(unquoted); next !== unquoted; next = unquotePlus(unquoted))
    unquoted = next;
  const path = uriPath(unquoted).replace(/\/+$/, '').replace(/\/+/g, '/');
  if (path.includes('\0') || !path.startsWith('/') || posixNormpath(path) !== path) {
    throw invalidParameter(
      `Invalid model version source: '${redactUri(source)}'. If supplying a source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references present. Please provide an absolute path.`,
    );
  }
}

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

/** MLflow's `is_local_uri`: no scheme, or `file:` (or a drive letter on Windows). */
function isLocalUri(uri: string): boolean {
  const scheme = SCHEME.exec(uri)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme === 'file') return true;
  return process.platform === 'win32' && scheme.length === 1;
}

/** The path of a local URI (`file:` decoded). */
function localPath(uri: string): string {
  if (!/^file:/i.test(uri)) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return decodeURIComponent(uri.replace(/^file:(\/\/[^/]*)?/i, ''));
  }
}

/** The path part of a URI, as Python's `urlparse` splits it. */
function uriPath(uri: string): string {
  const rest = uri.replace(SCHEME, '');
  const withoutHost = rest.startsWith('//') ? rest.slice(2).replace(/^[^/?#]*/, '') : rest;
  return withoutHost.replace(/[?#].*$/s, '');
}

/** Python's `unquote_plus`: `+` is a space, `%XX` escapes decoded where they are valid UTF-8. */
function unquotePlus(text: string): string {
  const spaced = text.replaceAll('+', ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced.replace(/%([0-7][0-9a-fA-F])/g, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
  }
}
