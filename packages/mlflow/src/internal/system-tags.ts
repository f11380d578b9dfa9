import { existsSync, readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/** The user MLflow's Python client records: `getpass.getuser()` order (LOGNAME, USER, LNAME, USERNAME), then the OS. */
export function currentUser(env: Record<string, string | undefined>): string {
  for (const name of ['LOGNAME', 'USER', 'LNAME', 'USERNAME']) {
    const value = env[name];
    if (value) return value;
  }
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** The main script as invoked (`process.argv[1]`), as Python records `sys.argv[0]`; `<console>` when none. */
function sourceName(argv: readonly string[] = process.argv): string {
  return argv[1] ?? '<console>';
}

/**
 * The tags MLflow's Python client sets on a new run: `mlflow.user`, `mlflow.source.name`,
 * `mlflow.source.type`, and `mlflow.source.git.commit` inside a git work tree.
 */
export function systemTags(user: string): Record<string, string> {
  const source = sourceName();
  const commit = gitCommit(source !== '<console>' ? dirname(resolve(source)) : process.cwd());
  return {
    'mlflow.user': user,
    'mlflow.source.name': source,
    'mlflow.source.type': 'LOCAL',
    ...(commit ? { 'mlflow.source.git.commit': commit } : {}),
  };
}

/**
 * The commit checked out in the git work tree around `start`, read from `.git` directly (HEAD, a
 * loose ref or `packed-refs`); `undefined` outside a work tree.
 */
function gitCommit(start: string): string | undefined {
  try {
    let dir = resolve(start);
    if (existsSync(dir) && !statSync(dir).isDirectory()) dir = dirname(dir);
    for (;;) {
      const dotGit = join(dir, '.git');
      if (existsSync(dotGit)) return readHead(resolveGitDir(dotGit));
      if (dirname(dir) === dir) return undefined;
      dir = dirname(dir);
    }
  } catch {
    return undefined;
  }
}

function resolveGitDir(dotGit: string): string {
  if (statSync(dotGit).isDirectory()) return dotGit;
  const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'));
  if (!pointer) throw new Error('not a git dir');
  return isAbsolute(pointer[1]!.trim())
    ? pointer[1]!.trim()
    : resolve(dirname(dotGit), pointer[1]!.trim());
}

function readHead(gitDir: string): string | undefined {
  const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
  const ref = /^ref:\s*(.+)$/.exec(head)?.[1];
  if (!ref) return /^[0-9a-f]{40,64}$/.test(head) ? head : undefined;
  // Worktrees keep refs in the common dir.
  const commonFile = join(gitDir, 'commondir');
  const common = existsSync(commonFile)
    ? resolve(gitDir, readFileSync(commonFile, 'utf8').trim())
    : gitDir;
  for (const base of [gitDir, common]) {
    const loose = join(base, ref);
    if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
  }
  const packed = join(common, 'packed-refs');
  if (existsSync(packed)) {
    for (const line of readFileSync(packed, 'utf8').split('\n')) {
      const [sha, name] = line.split(' ');
      if (name === ref && sha && /^[0-9a-f]{40,64}$/.test(sha)) return sha;
    }
  }
  return undefined;
}
