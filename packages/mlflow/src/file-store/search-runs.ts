import { invalidParameter } from '../errors.js';
import type { Run, SearchRunsOptions, SearchRunsResult } from '../types.js';
import { findExperimentFolder } from './experiments.js';
import { publicInfo } from './run-meta.js';
import { listRunInfos, readRunData } from './runs.js';
import { matchesFilter, parseFilter, sortRuns } from './search-filter.js';

/**
 * `searchRuns` over the file store: the runs of the given experiments visible in the view type,
 * filtered and sorted as MLflow does, one page at a time (the page token is an offset).
 */
export async function searchStoredRuns(
  root: string,
  options: SearchRunsOptions,
): Promise<SearchRunsResult> {
  const clauses = parseFilter(options.filter);
  const viewType = options.viewType ?? 'ACTIVE_ONLY';
  const runs: Run[] = [];
  for (const experimentId of options.experimentIds) {
    const experimentFolder = await findExperimentFolder(root, experimentId);
    if (!experimentFolder) continue;
    for (const { folder, info } of await listRunInfos(experimentFolder, experimentId)) {
      const visible =
        viewType === 'ALL' ||
        (viewType === 'ACTIVE_ONLY'
          ? info.lifecycleStage === 'active'
          : info.lifecycleStage === 'deleted');
      if (!visible) continue;
      const data = await readRunData(folder, info);
      const run = { info: publicInfo(info), data };
      if (matchesFilter(run, clauses)) runs.push(run);
    }
  }
  const sorted = sortRuns(runs, options.orderBy);
  const offset = options.pageToken ? decodePageToken(options.pageToken) : 0;
  const maxResults = options.maxResults ?? 1000;
  const page = sorted.slice(offset, offset + maxResults);
  return offset + maxResults < sorted.length
    ? { runs: page, nextPageToken: encodePageToken(offset + maxResults) }
    : { runs: page };
}

function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

function decodePageToken(token: string): number {
  try {
    const offset = (
      JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset: unknown }
    ).offset;
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {}
  throw invalidParameter(`Invalid page token ${JSON.stringify(token)}`);
}
