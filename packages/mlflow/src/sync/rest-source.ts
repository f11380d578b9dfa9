import { join } from 'node:path';
import { localArtifactRoot } from '../artifacts/local-artifacts.js';
import { nextPage } from '../internal/next-page.js';
import { ArtifactRouter } from '../rest/artifact-router.js';
import type { RestStore } from '../rest/rest-store.js';
import { parseExperiment } from '../rest/wire.js';
import type { Experiment, Metric, Run, RunInfo } from '../types.js';
import type { ArtifactFile, SourceRun, SyncSource } from './sync-source.js';
import { originRunId } from './sync-tags.js';

/**
 * A tracking server read as a sync source: experiments by `experiments/search`, runs by
 * `runs/search` (their params and tags come with them), every point of every metric by
 * `metrics/get-history`, artifacts listed and downloaded (streamed) by the run's `artifact_uri`.
 */
export class RestSyncSource implements SyncSource {
  readonly #runs = new Map<string, Run>();
  readonly #artifacts: ArtifactRouter;

  constructor(readonly store: RestStore) {
    this.#artifacts = new ArtifactRouter(store.transport, store.uri);
  }

  get uri(): string {
    return this.store.uri;
  }

  get registry() {
    return this.store.registry;
  }

  async listExperiments(): Promise<Experiment[]> {
    const experiments: Experiment[] = [];
    const seen = new Set<string>();
    let pageToken: string | undefined;
    do {
      const answer = await this.store.transport.postJson('experiments/search', {
        max_results: 1000,
        view_type: 'ACTIVE_ONLY',
        ...(pageToken ? { page_token: pageToken } : {}),
      });
      if (Array.isArray(answer.experiments))
        experiments.push(...answer.experiments.map(parseExperiment));
      pageToken = nextPage(seen, answer.next_page_token, 'experiments/search');
    } while (pageToken);
    return experiments;
  }

  async listRuns(experiment: Experiment): Promise<RunInfo[]> {
    const infos: RunInfo[] = [];
    const seen = new Set<string>();
    let pageToken: string | undefined;
    do {
      const page = await this.store.searchRuns({
        experimentIds: [experiment.experimentId],
        viewType: 'ACTIVE_ONLY',
        maxResults: 1000,
        ...(pageToken ? { pageToken } : {}),
      });
      for (const run of page.runs) {
        this.#runs.set(run.info.runId, run);
        infos.push(run.info);
      }
      pageToken = nextPage(seen, page.nextPageToken, 'runs/search');
    } while (pageToken);
    return infos;
  }

  async originId(info: RunInfo): Promise<string> {
    return originRunId(info.runId, (await this.#run(info)).data.tags);
  }

  async readRun(info: RunInfo): Promise<SourceRun> {
    const run = await this.#run(info);
    const metrics: Metric[] = [];
    for (const key of new Set(run.data.metrics.map((metric) => metric.key)))
      metrics.push(...(await this.store.getMetricHistory(info.runId, key)));
    return { info: run.info, params: run.data.params, tags: run.data.tags, metrics };
  }

  async listArtifactFiles(info: RunInfo): Promise<ArtifactFile[]> {
    const files: ArtifactFile[] = [];
    const walk = async (path: string): Promise<void> => {
      for (const entry of await this.store.listArtifacts(info, path)) {
        if (entry.path === path) continue;
        if (entry.isDir) await walk(entry.path);
        else files.push({ path: entry.path, size: entry.fileSize ?? 0 });
      }
    };
    await walk('');
    return files;
  }

  localArtifact(info: RunInfo, path: string): string | undefined {
    const root = localArtifactRoot(info.artifactUri);
    return root === undefined ? undefined : join(root, ...path.split('/'));
  }

  saveArtifact(info: RunInfo, path: string, file: string): Promise<void> {
    return this.#artifacts.download(info, path, file);
  }

  deleteRun(runId: string): Promise<void> {
    return this.store.deleteRun(runId);
  }

  close(): Promise<void> {
    return this.store.close();
  }

  async #run(info: RunInfo): Promise<Run> {
    const known = this.#runs.get(info.runId);
    if (known) return known;
    const run = await this.store.getRun(info.runId);
    this.#runs.set(info.runId, run);
    return run;
  }
}
