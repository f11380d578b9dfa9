import { parseArgs } from 'node:util';
import { SITES, type Site } from '@heart/data';

/** Everything the pipeline can be told, after flags and environment are merged. */
export interface TrainOptions {
  root: string;
  dataSource: string | undefined;
  sites: Site[];
  dataDir: string;
  verifyChecksum: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const HELP = `Usage: heart-train [options]

Runs the heart pipeline: download the UCI data (cached), validate it and summarise it.

Options (flags win over environment variables):
  --data-url <url|path>   where the processed.<site>.data files are        [HEART_DATA_URL]
                          (default: UCI's archive; relative paths resolve from the repository root)
  --sites <list>          comma-separated sites: ${SITES.join(', ')}    [HEART_SITES] (default: cleveland)
  --data-dir <path>       download cache folder                               [HEART_DATA_DIR] (default: data/raw)
  --no-verify-checksum    accept files whose sha256 differs from UCI's (a deliberately different source)
  -h, --help              show this help
`;

/** Parses flags and environment; throws {@link UsageError} with a message on anything unknown or bad. */
export function parseTrainOptions(
  argv: string[],
  env: NodeJS.ProcessEnv,
  root: string,
): TrainOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'data-url': { type: 'string' },
        sites: { type: 'string' },
        'data-dir': { type: 'string' },
        'no-verify-checksum': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nRun with --help for the options.`);
  }
  if (values.help) return 'help';
  const sites = parseSites(String(values.sites ?? env.HEART_SITES ?? 'cleveland'));
  return {
    root,
    dataSource: (values['data-url'] as string | undefined) ?? env.HEART_DATA_URL ?? undefined,
    sites,
    dataDir: String(values['data-dir'] ?? env.HEART_DATA_DIR ?? 'data/raw'),
    verifyChecksum: !values['no-verify-checksum'],
  };
}

function parseSites(raw: string): Site[] {
  const sites = raw
    .split(',')
    .map((site) => site.trim().toLowerCase())
    .filter(Boolean);
  const unknown = sites.filter((site) => !SITES.includes(site as Site));
  if (sites.length === 0 || unknown.length > 0) {
    throw new UsageError(
      `--sites: unknown site ${unknown.map((site) => `"${site}"`).join(', ') || '(none given)'}; expected a comma-separated list of ${SITES.join(', ')}`,
    );
  }
  return sites as Site[];
}
