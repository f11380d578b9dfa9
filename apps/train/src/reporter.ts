/** Progress output: stage lines with times, and a live bar on a terminal (plain lines elsewhere). */
export interface Reporter {
  /** A finished stage: `✓ name  0.12s  detail`. */
  stage(name: string, seconds: number, detail: string): void;
  /** Work in progress (CV folds, trees): redrawn in place on a TTY, silent elsewhere. */
  progress(label: string, done: number, total: number): void;
  /** A plain line. */
  line(text: string): void;
}

/** A reporter writing to `stream` (stderr by default), with live bars only when it is a TTY. */
export function createReporter(stream: NodeJS.WriteStream = process.stderr): Reporter {
  const tty = Boolean(stream.isTTY);
  let live = false;
  const clear = () => {
    if (live) {
      stream.write('\r\x1b[2K');
      live = false;
    }
  };
  return {
    stage(name, seconds, detail) {
      clear();
      stream.write(
        `${tty ? '\x1b[32m✓\x1b[0m' : '✓'} ${name.padEnd(22)} ${seconds.toFixed(2).padStart(6)}s  ${detail}\n`,
      );
    },
    progress(label, done, total) {
      if (!tty) return;
      const width = 24;
      const filled = Math.round((done / total) * width);
      stream.write(
        `\r\x1b[2K  ${label.padEnd(28)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`,
      );
      live = true;
      if (done === total) clear();
    },
    line(text) {
      clear();
      stream.write(`${text}\n`);
    },
  };
}
