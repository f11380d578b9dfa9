import type { ChildProcess } from 'node:child_process';

/** What a finished child process printed, and how it ended. */
export interface ChildOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Collects a spawned child's stdout and stderr until it closes (its pipes must be `pipe`).
 *
 * @example
 * ```ts
 * const { code, stdout } = await childOutput(spawn(process.execPath, ['main.js']));
 * ```
 */
export function childOutput(child: ChildProcess): Promise<ChildOutput> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}
