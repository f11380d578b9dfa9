import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readExperimentMeta } from './experiment-meta.js';
import { listKeyFiles } from './key-files.js';
import type { MetaVerdict } from './meta-verdict.js';
import { parseMetricFile } from './metric-file.js';
import { readRunMeta } from './run-meta.js';
import { isStagingName } from './staging.js';
import { EXPERIMENT_RESERVED, experimentParents, ROOT_RESERVED } from './store-layout.js';

/** One thing in an `mlruns/` tree that MLflow would trip over. */
export interface FileStoreProblem {
  /** The file or folder at fault. */
  path: string;
  /**
   * `fatal`: MLflow 2.17 fails the whole experiment list (`scope: 'experiments'`) or the whole run
   * list of one experiment (`scope: 'runs'`) — the UI shows an error page. `skipped`: MLflow
   * silently leaves it out. `limited`: listed, but some page fails (artifacts, or MLflow ≥ 3.8).
   */
  severity: 'fatal' | 'skipped' | 'limited';
  scope: 'experiments' | 'runs';
  message: string;
}

/** What {@link inspectFileStore} found. */
export interface FileStoreReport {
  experiments: number;
  runs: number;
  problems: FileStoreProblem[];
  /** True when MLflow can list every experiment and every experiment's runs. */
  readable: boolean;
}

/**
 * Checks an `mlruns/` tree the way MLflow 2.17's file-store reader treats it (SPEC §2.8): which
 * defects make the experiment or run listing fail, which folders it silently skips, and what only
 * some pages (or MLflow 3.8+) refuse. Reads only; never changes the tree.
 *
 * @example
 * ```ts
 * const report = await inspectFileStore('./mlruns');
 * if (!report.readable) console.error(report.problems.filter((p) => p.severity === 'fatal'));
 * ```
 */
export async function inspectFileStore(root: string): Promise<FileStoreReport> {
  const base = resolve(root);
  const problems: FileStoreProblem[] = [];
  let experiments = 0;
  let runs = 0;
  for (const parent of experimentParents(base)) {
    const entries = await readdir(parent, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isDirectory() || (parent === base && ROOT_RESERVED.has(entry.name))) continue;
      // heart's own staging folders in .trash/: no meta.yaml by design, and MLflow skips them.
      if (parent !== base && isStagingName(entry.name)) continue;
      const folder = join(parent, entry.name);
      const metaFile = join(folder, 'meta.yaml');
      const verdict = readExperimentMeta(
        await readFile(metaFile, 'utf8').catch(() => undefined),
        entry.name,
      );
      if (verdict.kind !== 'ok') {
        problems.push(metaProblem(verdict, folder, 'experiments'));
        continue;
      }
      experiments++;
      runs += await inspectRuns(folder, entry.name, problems);
    }
  }
  return {
    experiments,
    runs,
    problems,
    readable: !problems.some((problem) => problem.severity === 'fatal'),
  };
}

async function inspectRuns(
  experimentFolder: string,
  experimentId: string,
  problems: FileStoreProblem[],
): Promise<number> {
  let count = 0;
  const entries = await readdir(experimentFolder, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory() || EXPERIMENT_RESERVED.has(entry.name)) continue;
    const folder = join(experimentFolder, entry.name);
    const metaFile = join(folder, 'meta.yaml');
    const verdict = readRunMeta(await readFile(metaFile, 'utf8').catch(() => undefined), {
      runId: entry.name,
      experimentId,
    });
    if (verdict.kind !== 'ok') {
      problems.push(metaProblem(verdict, folder, 'runs'));
      continue;
    }
    count++;
    const metricsFolder = join(folder, 'metrics');
    for (const [key, file] of await listKeyFiles(metricsFolder)) {
      const parsed = parseMetricFile(key, await readFile(file, 'utf8'));
      if (typeof parsed === 'string')
        problems.push({ path: file, severity: 'fatal', scope: 'runs', message: parsed });
    }
    if (!verdict.value.artifactUri) {
      problems.push({
        path: metaFile,
        severity: 'limited',
        scope: 'runs',
        message: 'no artifact_uri: the artifact list fails',
      });
    }
    for (const sub of ['metrics', 'params', 'artifacts']) {
      const info = await stat(join(folder, sub)).catch(() => undefined);
      if (!info?.isDirectory()) {
        problems.push({
          path: join(folder, sub),
          severity: 'limited',
          scope: 'runs',
          message: `no ${sub}/ folder: MLflow ≥ 3.8 cannot open the run`,
        });
      }
    }
  }
  return count;
}

/** A `meta.yaml` MLflow skips or trips over, as a problem: the folder when the file is missing. */
function metaProblem(
  verdict: Exclude<MetaVerdict<unknown>, { kind: 'ok' }>,
  folder: string,
  scope: FileStoreProblem['scope'],
): FileStoreProblem {
  const missing = verdict.reason === 'no meta.yaml';
  if (missing && scope === 'runs') {
    // Not harmless (measured on MLflow 2.17.2 and 3.11): the run list skips the folder, but
    // experiments/search-datasets, which the UI calls on every experiment page, answers 500.
    return {
      path: folder,
      severity: 'limited',
      scope,
      message:
        'a run folder with no meta.yaml: the run list skips it, but experiments/search-datasets (every experiment page of the UI) answers 500',
    };
  }
  return {
    path: missing ? folder : join(folder, 'meta.yaml'),
    severity: verdict.kind === 'fatal' ? 'fatal' : 'skipped',
    scope,
    message: verdict.reason,
  };
}
