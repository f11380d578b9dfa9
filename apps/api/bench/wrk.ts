/** wrk as the load generator of api.bench.ts: one run, parsed. */
import { spawnSync } from 'node:child_process';

/** One wrk run's figures. */
export interface WrkFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

/** Whether `wrk` can be started (it exits 1 on `--version`, so only a spawn error counts). */
export function hasWrk(): boolean {
  return spawnSync('wrk', ['--version']).error === undefined;
}

function toMs(text: string): number {
  if (text.endsWith('us')) return Number.parseFloat(text) / 1000;
  if (text.endsWith('ms')) return Number.parseFloat(text);
  return Number.parseFloat(text) * 1000;
}

function match(output: string, pattern: RegExp, what: string): string {
  const found = pattern.exec(output)?.[1];
  if (found === undefined) throw new Error(`wrk printed no ${what}:\n${output}`);
  return found;
}

/** Loads `url` with wrk (2 threads, 32 connections) for `seconds`, POSTing as `script` says. */
export function runWrk(url: string, script: string, seconds: number): WrkFigures {
  const args = ['-t2', '-c32', `-d${seconds}s`, '--latency', '-s', script, url];
  const result = spawnSync('wrk', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`wrk failed (${result.status}): ${result.stderr}`);
  const output = result.stdout;
  return {
    requestsPerSecond: Number(match(output, /Requests\/sec:\s+([\d.]+)/, 'Requests/sec')),
    p50Ms: toMs(match(output, / 50%\s+(\S+)/, 'p50')),
    p99Ms: toMs(match(output, / 99%\s+(\S+)/, 'p99')),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0),
  };
}
