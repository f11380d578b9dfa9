import { parseArgs } from 'node:util';

/** A command line that cannot run: the message says what is wrong (exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The `sync` command as parsed. */
export interface SyncCommand {
  from: string;
  to: string;
  experiments?: string[];
  runIds?: string[];
  since?: number;
  dryRun: boolean;
  deleteSource: boolean;
  registry: boolean;
  concurrency?: number;
}

export const HELP = `Usage: heart-mlflow sync <from> <to> [options]

Copies MLflow runs from one tracking store into another, exactly once. Either side is a file
store (./mlruns, file:///…/mlruns) or a tracking server (http(s)://host:port). What moves:
experiments (by name, with tags), runs (params, every metric point, tags, status, times, name),
artifacts, logged models, registered models with their versions (same numbers) and aliases.

Run it again at any time: runs already there are not sent again, and a sync that was interrupted
(even killed) is finished where it stopped — every copy records its source run in heart.sync.*
tags at the destination.

Options:
  -e, --experiment <name|id>  only this experiment (repeat for more)
  -r, --run-id <id>           only this run, by its id in <from> (repeat for more)
      --since <time>          only runs started at or after it: 2026-05-01, 2026-05-01T12:00Z, epoch ms
      --dry-run               print what would move, write nothing
      --delete-source         delete each source run once its copy reads back complete
      --no-registry           leave registered models alone
      --concurrency <n>       runs copied at once (1-64)                        default 8
  -h, --help                  show this help

Examples:
  heart-mlflow sync ./mlruns http://127.0.0.1:5000           # MLflow >= 3.13: a file store into a server
  heart-mlflow sync ./mlruns-offline http://127.0.0.1:5000   # publish runs logged offline
  heart-mlflow sync http://127.0.0.1:5000 ./backup --since 2026-01-01

A server on either side reads MLflow's variables: MLFLOW_TRACKING_USERNAME and _PASSWORD, or
MLFLOW_TRACKING_TOKEN; MLFLOW_TRACKING_INSECURE_TLS, _SERVER_CERT_PATH; MLFLOW_HTTP_REQUEST_*.
Exit status: 0 when every run is at the destination, 1 when some run or entry could not be
synced (each is printed with why), 2 for a command line that cannot run.
`;

/** Parses `sync <from> <to> [options]`; `'help'` for `--help`. */
export function parseSyncArgs(argv: readonly string[]): SyncCommand | 'help' {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nRun heart-mlflow --help for the options.`);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) return 'help';
  const [command, from, to, ...rest] = positionals;
  if (command !== 'sync')
    throw new UsageError(`unknown command "${command}" (the command is sync)`);
  if (!from || !to)
    throw new UsageError(
      'sync needs <from> and <to>: heart-mlflow sync ./mlruns http://127.0.0.1:5000',
    );
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  return {
    from,
    to,
    ...(values.experiment ? { experiments: values.experiment } : {}),
    ...(values['run-id'] ? { runIds: values['run-id'] } : {}),
    ...(values.since === undefined ? {} : { since: parseSince(values.since) }),
    dryRun: values['dry-run'] ?? false,
    deleteSource: values['delete-source'] ?? false,
    registry: !values['no-registry'],
    ...(values.concurrency === undefined
      ? {}
      : { concurrency: parseConcurrency(values.concurrency) }),
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      experiment: { type: 'string', short: 'e', multiple: true },
      'run-id': { type: 'string', short: 'r', multiple: true },
      since: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'delete-source': { type: 'boolean' },
      'no-registry': { type: 'boolean' },
      concurrency: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** `--since`: epoch ms, or a date/time `Date.parse` reads (a bare date is midnight UTC). */
function parseSince(raw: string): number {
  const value = /^\d+$/.test(raw.trim()) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(value))
    throw new UsageError(`--since must be a date, a date and time or epoch ms, got "${raw}"`);
  return value;
}

function parseConcurrency(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < 1 || value > 64)
    throw new UsageError(`--concurrency must be a whole number from 1 to 64, got "${raw}"`);
  return value;
}
