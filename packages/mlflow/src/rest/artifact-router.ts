import { createReadStream } from 'node:fs';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { Readable } from 'node:stream';
import { redactUri } from '@heart/internal';
import { checkArtifactPath } from '../artifacts/artifact-path.js';
import {
  listLocalArtifacts,
  localArtifactRoot,
  putLocalArtifact,
  readLocalArtifact,
} from '../artifacts/local-artifacts.js';
import { putLocalFolder } from '../artifacts/local-folder.js';
import { MlflowError } from '../errors.js';
import type { ArtifactFiles, ArtifactLocation } from '../tracking-store.js';
import type { FileInfo } from '../types.js';
import { ARTIFACTS_API, encodePath } from './api-paths.js';
import { guessContentType } from './content-type.js';
import type { CallOptions, Transport } from './transport.js';
import { parseFiles } from './wire.js';

/** Where a run's artifacts go: a local folder, or the server's artifact proxy. */
interface ArtifactTarget {
  /** The folder, for a plain path or `file:` artifact URI. */
  local?: string;
  /** Another host than the tracking server's, when the URI names one. */
  baseUrl?: string;
  /** `<experiment>/<run>/artifacts`. */
  uriPath: string;
  /** `/api/2.0/mlflow-artifacts/artifacts/<uriPath>`. */
  proxyPath: string;
}

/**
 * A REST run's artifacts, routed by its `artifact_uri`: written and read directly for a local
 * path or `file:`, uploaded (streamed) and downloaded through the server's proxy for
 * `mlflow-artifacts:`; anything else (`s3://`, …) is `UNSUPPORTED_URI`.
 */
export class ArtifactRouter {
  readonly #transport: Transport;
  readonly #trackingUri: string;

  /** `trackingUri`: the server URL, whose host a `mlflow-artifacts://host/…` URI replaces. */
  constructor(transport: Transport, trackingUri: string) {
    this.#transport = transport;
    this.#trackingUri = trackingUri;
  }

  async put(
    run: ArtifactLocation,
    artifactPath: string,
    source: { path: string } | { bytes: Uint8Array },
  ): Promise<void> {
    const target = this.#target(run);
    if (target.local) {
      await putLocalArtifact(target.local, artifactPath, source);
      return;
    }
    const relative = checkArtifactPath(artifactPath);
    const contentType = guessContentType(relative);
    let body: CallOptions['body'];
    if ('bytes' in source) {
      const bytes = source.bytes;
      body = () => ({ data: bytes, length: bytes.byteLength, contentType });
    } else {
      const info = await stat(source.path);
      // Streamed from disk on every attempt: a large model never sits in memory.
      body = () => ({
        data: Readable.toWeb(createReadStream(source.path)) as ReadableStream<Uint8Array>,
        length: info.size,
        contentType,
      });
    }
    await this.#transport.call({
      method: 'PUT',
      path: `${target.proxyPath}/${encodePath(relative)}`,
      endpoint: `mlflow-artifacts PUT ${relative}`,
      baseUrl: target.baseUrl,
      body,
    });
  }

  /**
   * A folder of files: a local root gets it whole (`putLocalFolder`, staged beside the run's
   * artifact folder or in the file store's `.trash/`); the proxy, which has no folder rename, gets
   * the files one by one in the order given (a model's `MLmodel` last).
   */
  async putFolder(
    run: ArtifactLocation,
    artifactPath: string,
    files: ArtifactFiles,
  ): Promise<void> {
    const target = this.#target(run);
    if (target.local) {
      await putLocalFolder(target.local, artifactPath, files);
      return;
    }
    const folder = checkArtifactPath(artifactPath);
    for (const [name, bytes] of files) await this.put(run, posix.join(folder, name), { bytes });
  }

  async list(run: ArtifactLocation, path = ''): Promise<FileInfo[]> {
    const target = this.#target(run);
    if (target.local) return listLocalArtifacts(target.local, path);
    const relative = path === '' ? '' : checkArtifactPath(path);
    const answer = (await this.#transport.call({
      method: 'GET',
      path: ARTIFACTS_API,
      endpoint: 'mlflow-artifacts list',
      baseUrl: target.baseUrl,
      query: { path: relative === '' ? target.uriPath : `${target.uriPath}/${relative}` },
    })) as { files?: unknown };
    return parseFiles(answer.files, relative);
  }

  async read(run: ArtifactLocation, path: string): Promise<Uint8Array> {
    const target = this.#target(run);
    if (target.local) return readLocalArtifact(target.local, path);
    const relative = checkArtifactPath(path);
    return (await this.#transport.call({
      method: 'GET',
      path: `${target.proxyPath}/${encodePath(relative)}`,
      endpoint: `mlflow-artifacts GET ${relative}`,
      baseUrl: target.baseUrl,
      expect: 'bytes',
    })) as Uint8Array;
  }

  /** Copies one artifact file to `file`: a local copy, or a download streamed to disk. */
  async download(run: ArtifactLocation, path: string, file: string): Promise<void> {
    const target = this.#target(run);
    const relative = checkArtifactPath(path);
    if (target.local) {
      await mkdir(dirname(file), { recursive: true });
      await copyFile(join(target.local, ...relative.split('/')), file);
      return;
    }
    await this.#transport.call({
      method: 'GET',
      path: `${target.proxyPath}/${encodePath(relative)}`,
      endpoint: `mlflow-artifacts GET ${relative}`,
      baseUrl: target.baseUrl,
      saveTo: file,
    });
  }

  #target(run: ArtifactLocation): ArtifactTarget {
    const uri = run.artifactUri;
    const local = localArtifactRoot(uri);
    if (local) return { local, uriPath: '', proxyPath: '' };
    const proxied = /^mlflow-artifacts:(?:\/\/([^/]+))?(\/.*)?$/.exec(uri);
    if (proxied) {
      const uriPath = (proxied[2] ?? '/').replace(/\/+/g, '/').replace(/^\/|\/$/g, '');
      let baseUrl: string | undefined;
      if (proxied[1]) {
        // A host inside the URI replaces the tracking server's host (SPEC §4.2).
        const base = new URL(this.#trackingUri);
        base.host = proxied[1];
        baseUrl = base.href.replace(/\/+$/, '');
      }
      return {
        ...(baseUrl ? { baseUrl } : {}),
        uriPath,
        proxyPath: `${ARTIFACTS_API}/${encodePath(uriPath)}`,
      };
    }
    throw new MlflowError({
      code: 'UNSUPPORTED_URI',
      message: `run ${run.runId} stores artifacts at ${redactUri(uri)}, which this client cannot write directly; start the tracking server with artifact proxying (mlflow server --serve-artifacts --artifacts-destination ${redactUri(uri.replace(/\/\d+\/[0-9a-f]{32}\/artifacts$/, ''))}) so artifacts go through it`,
    });
  }
}
