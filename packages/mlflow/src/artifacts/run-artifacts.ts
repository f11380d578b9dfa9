import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { invalidParameter } from '../errors.js';
import { toYaml } from '../internal/yaml.js';
import { buildModelFolder, type LoggedModel, type LogModelOptions } from '../log-model.js';
import type { TrackingStore } from '../tracking-store.js';
import type { FileInfo, RunInfo } from '../types.js';
import { checkArtifactFile, checkArtifactPath, joinArtifactPath } from './artifact-path.js';
import { collectArtifactFiles } from './collect-artifact-files.js';
import { downloadArtifacts } from './download-artifacts.js';

/**
 * The artifact half of the tracking client: files, folders, text, dictionaries, images and models
 * written to a run's artifacts through the store, and read back. Paths are checked before
 * anything is written; `runInfo` finds the run (the client caches it).
 */
export class RunArtifacts {
  readonly #store: TrackingStore;
  readonly #runInfo: (runId: string) => Promise<RunInfo>;

  constructor(store: TrackingStore, runInfo: (runId: string) => Promise<RunInfo>) {
    this.#store = store;
    this.#runInfo = runInfo;
  }

  async logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void> {
    const info = await stat(localPath).catch(() => undefined);
    if (!info?.isFile()) throw invalidParameter(`logArtifact: ${localPath} is not a file`);
    const run = await this.#runInfo(runId);
    await this.#store.putArtifact(run, joinArtifactPath(artifactPath, basename(localPath)), {
      path: localPath,
    });
  }

  async logArtifacts(runId: string, localDir: string, artifactPath?: string): Promise<void> {
    const run = await this.#runInfo(runId);
    const files = await collectArtifactFiles(localDir, artifactPath);
    for (const [target, path] of files) await this.#store.putArtifact(run, target, { path });
  }

  async logText(runId: string, text: string, artifactFile: string): Promise<void> {
    if (typeof text !== 'string') {
      throw invalidParameter(
        `logText: text for ${String(artifactFile)} must be a string, got ${text === null ? 'null' : typeof text}`,
      );
    }
    await this.#store.putArtifact(await this.#runInfo(runId), checkArtifactFile(artifactFile), {
      bytes: new TextEncoder().encode(text),
    });
  }

  async logDict(runId: string, dictionary: unknown, artifactFile: string): Promise<void> {
    const extension = extname(checkArtifactFile(artifactFile)).toLowerCase();
    let text: string | undefined;
    try {
      text =
        extension === '.yaml' || extension === '.yml'
          ? toYaml(dictionary, { sortKeys: false })
          : JSON.stringify(dictionary, null, 2);
    } catch (error) {
      // A bigint, a cycle, a throwing toJSON: a coded error naming the file, nothing written.
      throw invalidParameter(
        `logDict: the dictionary for ${artifactFile} cannot be written as ${extension === '.yaml' || extension === '.yml' ? 'YAML' : 'JSON'} (${(error as Error).message})`,
      );
    }
    if (typeof text !== 'string') {
      throw invalidParameter(
        `logDict: the dictionary for ${artifactFile} is ${typeof dictionary}, which JSON cannot hold`,
      );
    }
    await this.logText(runId, text, artifactFile);
  }

  async logImage(runId: string, image: Uint8Array, artifactFile: string): Promise<void> {
    if (!(image instanceof Uint8Array))
      throw invalidParameter('logImage: image must be encoded bytes (a Uint8Array)');
    await this.#store.putArtifact(await this.#runInfo(runId), checkArtifactPath(artifactFile), {
      bytes: image,
    });
  }

  async logModel(runId: string, options: LogModelOptions): Promise<LoggedModel> {
    if (!options?.flavor?.name || !/^[\w.-]+$/.test(options.flavor.name)) {
      throw invalidParameter('logModel: flavor.name must be a simple identifier');
    }
    for (const name of Object.keys(options.files ?? {})) checkArtifactPath(name);
    const run = await this.#runInfo(runId);
    const built = buildModelFolder(runId, options);
    // Whole or not at all on a local artifact root; file by file, MLmodel last, through a proxy.
    await this.#store.putArtifactFolder(run, checkArtifactPath(built.artifactPath), built.files);
    await this.#store.recordLoggedModel(runId, built.entry);
    return {
      modelUuid: built.modelUuid,
      artifactPath: built.artifactPath,
      modelUri: `runs:/${runId}/${built.artifactPath}`,
      utcTimeCreated: built.utcTimeCreated,
      files: built.files.map(([name]) => name),
    };
  }

  async listArtifacts(runId: string, path?: string): Promise<FileInfo[]> {
    return this.#store.listArtifacts(await this.#runInfo(runId), path);
  }

  async readArtifact(runId: string, path: string): Promise<Uint8Array> {
    return this.#store.readArtifact(await this.#runInfo(runId), checkArtifactPath(path));
  }

  async downloadArtifacts(runId: string, path: string, destination: string): Promise<string> {
    return downloadArtifacts(this.#store, await this.#runInfo(runId), path, destination);
  }
}
