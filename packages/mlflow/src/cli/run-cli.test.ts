import { join } from 'node:path';
import { copyGoldenTree, ReplayServer, tempDir } from '@heart/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** Runs the CLI in-process with captured output (a terminal or not). */
async function cli(argv: string[], options: { tty?: boolean; cwd?: string } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.tty ?? false },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    cwd: options.cwd ?? process.cwd(),
  });
  return { code, stdout, stderr };
}

async function golden() {
  const dir = await tempDir('heart-cli-');
  const server = new ReplayServer('artifactproxy');
  await server.start();
  cleanups.push(dir.cleanup, () => server.stop());
  await copyGoldenTree('filestore-python-client', join(dir.path, 'mlruns'));
  return { dir: dir.path, url: server.url };
}

describe('heart-mlflow', () => {
  it('prints its help, and refuses a command line it cannot run', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: heart-mlflow sync <from> <to> [options]');
    expect(help.stdout).toContain('--dry-run');
    expect((await cli([])).stdout).toContain('Usage:');
    for (const [argv, words] of [
      [['copy', 'a', 'b'], 'unknown command "copy"'],
      [['sync', './mlruns'], 'sync needs <from> and <to>'],
      [['sync', 'a', 'b', '--since', 'yesterday'], '--since must be a date'],
      [['sync', 'a', 'b', '--concurrency', '0'], '--concurrency must be a whole number'],
      [['sync', 'a', 'b', '--bogus'], "Unknown option '--bogus'"],
    ] as const) {
      const result = await cli([...argv]);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toContain(words);
    }
  });

  it('prints one line per run and a summary; the second time, that nothing moved', async () => {
    const { dir, url } = await golden();
    const first = await cli(['sync', './mlruns', url], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines.filter((line) => line.startsWith('copied'))).toHaveLength(2);
    expect(first.stdout).toMatch(
      /copied {7}heart-disease-mlops\/random-forest {2}182ce3c8616a4b6ea4aeecbf064850e9 → [0-9a-f]{32} {2}2 params, \d+ tags, 5 points, 8 files/,
    );
    expect(first.stdout).toContain(`synced file://${dir}/mlruns → ${url}`);
    expect(first.stdout).toContain('runs: 2 copied, 0 resumed, 0 already there, 0 failed');
    const second = await cli(['sync', './mlruns', url], { cwd: dir });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(
      /^nothing to move: all 2 runs of file:\/\/.*\/mlruns are at http:\/\/127\.0\.0\.1:\d+ already/m,
    );
  });

  it('shows a progress bar on a terminal, and a dry run says what it would do', async () => {
    const { dir, url } = await golden();
    const dry = await cli(['sync', './mlruns', url, '--dry-run'], { cwd: dir, tty: true });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('\r\x1b[2K  [############............] 1/2 runs');
    expect(dry.stdout).toContain('dry run, nothing written');
    expect(dry.stdout).toContain('would copy 2 runs and resume 0; 0 already there');
    const after = await cli(['sync', './mlruns', url, '--dry-run'], { cwd: dir });
    expect(after.stdout).toContain('would copy 2 runs');
  });

  it('exits 1 naming what it could not sync', async () => {
    const { dir } = await golden();
    const result = await cli(['sync', join(dir, 'nowhere'), join(dir, 'copy')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[RESOURCE_DOES_NOT_EXIST]');
    expect(result.stderr).toContain(`there is no file store at ${join(dir, 'nowhere')}`);
    const unknown = await cli(['sync', join(dir, 'mlruns'), join(dir, 'copy'), '-e', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no active experiment named or numbered "nope"');
  });
});
