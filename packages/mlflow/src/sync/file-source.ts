import { type Dirent, readdirSync, readFileSync, statSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { localArtifactRoot } from '../artifacts/local-artifacts.js';
import { readExperimentMeta } from '../file-store/experiment-meta.js';
import type { FileStore } from '../file-store/file-store.js';
import { corruptStore } from '../file-store/meta-verdict.js';
import { parseMetricFile } from '../file-store/metric-file.js';
import { publicInfo, readRunMeta } from '../file-store/run-meta.js';
import { EXPERIMENT_RESERVED, ROOT_RESERVED } from '../file-store/store-layout.js';
import type { Experiment, Metric, RunInfo } from '../types.js';
import type { ArtifactFile, ReportProblem, SourceRun, SyncSource } from './sync-source.js';
import { SYNC_TAGS } from './sync-tags.js';

/**
 * A file store read as a sync source, forgiving where MLflow's reader is not: an experiment or run
 * whose `meta.yaml` MLflow could not read, or a run with a malformed metric file, is reported with
 * its path and left out while the rest is copied. Artifacts come from the run's `artifact_uri`, or
 * from the run folder's `artifacts/` when the store was moved since (the URI is absolute).
 *
 * The small files (`meta.yaml`, params, tags, metrics) are read synchronously: for files of a few
 * bytes that saves `fs.promises`' thread-pool round trip per file (not benchmarked on its own). Artifacts are copied asynchronously.
 */
export class FileSyncSource implements SyncSource {
  readonly #folders = new Map<string, string>();
  readonly #roots = new Map<string, string>();

  constructor(readonly store: FileStore) {}

  get root(): string {
    return this.store.root;
  }

  get uri(): string {
    return this.store.uri;
  }

  get registry() {
    return this.store.registry;
  }

  async listExperiments(report: ReportProblem): Promise<Experiment[]> {
    const experiments: Experiment[] = [];
    for (const entry of entries(this.root)) {
      if (!entry.isDirectory() || ROOT_RESERVED.has(entry.name)) continue;
      const folder = join(this.root, entry.name);
      const file = join(folder, 'meta.yaml');
      const verdict = readExperimentMeta(text(file), entry.name);
      if (verdict.kind === 'fatal') report(file, `experiment left out: ${verdict.reason}`);
      if (verdict.kind !== 'ok' || verdict.value.lifecycleStage !== 'active') continue;
      const tags = readTags(join(folder, 'tags'));
      if (typeof tags === 'string') {
        report(join(folder, 'tags'), `experiment left out: ${tags}`);
        continue;
      }
      experiments.push({ ...verdict.value, tags });
    }
    return experiments;
  }

  async listRuns(experiment: Experiment, report: ReportProblem): Promise<RunInfo[]> {
    const base = join(this.root, experiment.experimentId);
    const runs: RunInfo[] = [];
    for (const entry of entries(base)) {
      if (!entry.isDirectory() || EXPERIMENT_RESERVED.has(entry.name)) continue;
      const folder = join(base, entry.name);
      const file = join(folder, 'meta.yaml');
      const meta = text(file);
      const verdict = readRunMeta(meta, {
        runId: entry.name,
        experimentId: experiment.experimentId,
      });
      if (verdict.kind !== 'ok') {
        report(meta === undefined ? folder : file, `run left out: ${verdict.reason}`);
        continue;
      }
      if (verdict.value.lifecycleStage !== 'active') continue;
      this.#folders.set(verdict.value.runId, folder);
      runs.push(publicInfo(verdict.value));
    }
    return runs;
  }

  async originId(info: RunInfo): Promise<string> {
    return text(join(this.#folder(info), 'tags', SYNC_TAGS.originRunId)) || info.runId;
  }

  async readRun(info: RunInfo): Promise<SourceRun> {
    const folder = this.#folder(info);
    const params = readTags(join(folder, 'params'));
    const tags = readTags(join(folder, 'tags'));
    if (typeof params === 'string') throw corruptStore(join(folder, 'params'), params);
    if (typeof tags === 'string') throw corruptStore(join(folder, 'tags'), tags);
    const metrics: Metric[] = [];
    for (const [key, file] of keyFiles(join(folder, 'metrics'))) {
      const content = text(file);
      if (content === undefined) throw corruptStore(file, 'cannot be read');
      const points = parseMetricFile(key, content);
      if (typeof points === 'string') throw corruptStore(file, points);
      metrics.push(...points);
    }
    const runName = info.runName || tags.find((tag) => tag.key === 'mlflow.runName')?.value || '';
    return { info: { ...info, runName }, params, tags, metrics };
  }

  async listArtifactFiles(info: RunInfo): Promise<ArtifactFile[]> {
    const root = await this.#artifactRoot(info);
    const files: ArtifactFile[] = [];
    const walk = (folder: string, prefix: string) => {
      for (const entry of entries(folder).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        if (entry.name.startsWith('.tmp-')) continue;
        const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
        if (entry.isDirectory()) walk(join(folder, entry.name), path);
        else if (entry.isFile())
          files.push({ path, size: statSync(join(folder, entry.name)).size });
      }
    };
    walk(root, '');
    return files;
  }

  localArtifact(info: RunInfo, path: string): string | undefined {
    const root = this.#roots.get(info.runId);
    return root === undefined ? undefined : join(root, ...path.split('/'));
  }

  async saveArtifact(info: RunInfo, path: string, file: string): Promise<void> {
    const local = join(await this.#artifactRoot(info), ...path.split('/'));
    await mkdir(dirname(file), { recursive: true });
    await copyFile(local, file);
  }

  deleteRun(runId: string): Promise<void> {
    return this.store.deleteRun(runId);
  }

  async close(): Promise<void> {}

  /** The artifact folder: the URI's, else (the store was moved) the run folder's `artifacts/`. */
  async #artifactRoot(info: RunInfo): Promise<string> {
    const known = this.#roots.get(info.runId);
    if (known !== undefined) return known;
    const fromUri = localArtifactRoot(info.artifactUri);
    const root =
      fromUri && statSync(fromUri, { throwIfNoEntry: false })
        ? fromUri
        : join(this.#folder(info), 'artifacts');
    this.#roots.set(info.runId, root);
    return root;
  }

  #folder(info: RunInfo): string {
    return this.#folders.get(info.runId) ?? join(this.root, info.experimentId, info.runId);
  }
}

/** A folder's entries (none when it cannot be read). */
function entries(folder: string): Dirent[] {
  try {
    return readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** A small file's text, or `undefined` when it cannot be read. */
function text(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Every file below a `metrics/`, `params/` or `tags/` folder as `[key, path]` (`/` for nesting). */
function keyFiles(folder: string, prefix = ''): [string, string][] {
  const out: [string, string][] = [];
  for (const entry of entries(folder).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const key = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    // A plain join: `folder` is already normal, `entry.name` a single segment.
    const path = `${folder}${sep}${entry.name}`;
    if (entry.isDirectory()) out.push(...keyFiles(path, key));
    else out.push([key, path]);
  }
  return out;
}

/** The key files of a `params/` or `tags/` folder, or why one cannot be read. */
function readTags(folder: string): { key: string; value: string }[] | string {
  const out = [];
  for (const [key, file] of keyFiles(folder)) {
    const value = text(file);
    if (value === undefined) return `${file} cannot be read`;
    out.push({ key, value });
  }
  return out;
}
