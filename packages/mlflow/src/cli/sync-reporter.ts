import type { SyncEvent, SyncRunEvent, SyncSummary } from '../sync/sync-types.js';

/** Where the CLI writes: a stream, and whether it is a terminal. */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

const WORDS: Record<SyncRunEvent['outcome'], string> = {
  copied: 'copied',
  resumed: 'resumed',
  present: 'present',
  failed: 'FAILED',
  'would-copy': 'would copy',
  'would-resume': 'would resume',
};

/**
 * The sync's progress: on a terminal one bar redrawn in place (failures and problems printed
 * above it), elsewhere one line per run; problems always on `errors`.
 */
export function createSyncReporter(out: Output, errors: Output): (event: SyncEvent) => void {
  const tty = Boolean(out.isTTY);
  let total = 0;
  let done = 0;
  let points = 0;
  let live = false;
  const clear = () => {
    if (live) out.write('\r\x1b[2K');
    live = false;
  };
  const bar = () => {
    const width = 24;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    out.write(
      `\r\x1b[2K  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} runs, ${points.toLocaleString('en-US')} points`,
    );
    live = true;
  };
  return (event) => {
    if (event.kind === 'plan') total = event.runs;
    if (event.kind === 'problem') {
      clear();
      errors.write(`problem: ${event.path}: ${event.message}\n`);
    }
    if (event.kind === 'model' && (!tty || event.message)) {
      clear();
      out.write(`${modelLine(event)}\n`);
    }
    if (event.kind === 'run') {
      done++;
      points += event.sent.points;
      if (!tty || event.outcome === 'failed') {
        clear();
        out.write(`${runLine(event)}\n`);
      }
    }
    if (tty) {
      if (done < total) bar();
      else clear();
    }
  };
}

/** `copied   exp/run  1a2b3c4d… → 5e6f7a8b…  20 params, 100 points, 3 files (12.0 KiB)` */
function runLine(event: SyncRunEvent): string {
  const where = `${event.experimentName}/${event.runName || '(no name)'}`;
  const ids = `${event.sourceRunId}${event.destinationRunId ? ` → ${event.destinationRunId}` : ''}`;
  const { sent } = event;
  const moved = sent.params + sent.tags + sent.points + sent.files > 0;
  const what = moved
    ? `  ${sent.params} params, ${sent.tags} tags, ${sent.points} points, ${sent.files} files (${bytes(sent.bytes)})`
    : '';
  const notes = [
    event.complete || event.outcome === 'failed' ? '' : 'still running at the source',
    event.sourceDeleted ? 'source run deleted' : '',
    event.message ?? '',
  ].filter(Boolean);
  return `${WORDS[event.outcome].padEnd(12)} ${where}  ${ids}${what}${notes.length > 0 ? `  (${notes.join('; ')})` : ''}`;
}

function modelLine(event: Extract<SyncEvent, { kind: 'model' }>): string {
  const counts = `${event.versionsCreated} versions created, ${event.aliasesSet} aliases set`;
  return `model        ${event.name}  ${counts}${event.message ? `  (${event.message})` : ''}`;
}

/** The closing lines: what moved (or would), what did not, and why. */
export function summaryLines(summary: SyncSummary, seconds: number): string[] {
  const { runs, sent } = summary;
  const total = Object.values(runs).reduce((sum, count) => sum + count, 0);
  const lines: string[] = [];
  if (summary.dryRun) {
    lines.push(
      `dry run, nothing written: ${summary.from} → ${summary.to} would copy ${runs['would-copy']} runs and resume ${runs['would-resume']}; ${runs.present} already there`,
      `  would send ${sent.params} params, ${sent.points.toLocaleString('en-US')} metric points, ${sent.files} files (${bytes(sent.bytes)}); ${summary.experimentsCreated} experiments to create`,
    );
  } else if (summary.nothingMoved) {
    lines.push(
      `nothing to move: all ${total} runs of ${summary.from} are at ${summary.to} already (${seconds.toFixed(2)} s)`,
    );
  } else {
    lines.push(
      `synced ${summary.from} → ${summary.to} in ${seconds.toFixed(2)} s`,
      `  runs: ${runs.copied} copied, ${runs.resumed} resumed, ${runs.present} already there, ${runs.failed} failed; ${summary.experimentsCreated} experiments created`,
      `  sent: ${sent.params} params, ${sent.tags} tags, ${sent.points.toLocaleString('en-US')} metric points, ${sent.files} files (${bytes(sent.bytes)})`,
      `  registry: ${summary.registry.models} models, ${summary.registry.versionsCreated} versions created, ${summary.registry.aliasesSet} aliases set${summary.registry.skipped ? `, ${summary.registry.skipped} left out` : ''}`,
    );
  }
  if (summary.sourceDeleted > 0)
    lines.push(
      `  ${summary.sourceDeleted} source runs deleted after their copies read back whole (mlflow gc removes them for good)`,
    );
  for (const failure of summary.failures)
    lines.push(
      `  failed: ${failure.runName || '(no name)'} ${failure.sourceRunId}: ${failure.message}`,
    );
  if (summary.problems.length > 0)
    lines.push(
      `  ${summary.problems.length} problems (printed above): those entries were not synced`,
    );
  return lines;
}

function bytes(count: number): string {
  if (count < 1024) return `${count} B`;
  if (count < 1024 * 1024) return `${(count / 1024).toFixed(1)} KiB`;
  return `${(count / 1024 / 1024).toFixed(1)} MiB`;
}
