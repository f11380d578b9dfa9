import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The `Authorization` header MLflow's client sends: Basic from `MLFLOW_TRACKING_USERNAME`/
 * `_PASSWORD`, else `~/.mlflow/credentials`, else the URI's `user:password@`; else Bearer
 * `MLFLOW_TRACKING_TOKEN`; else none.
 */
export function authorizationHeader(
  env: Record<string, string | undefined>,
  fromUri: { username: string; password: string },
): string | undefined {
  const file = readCredentialsFile(env);
  const username = env.MLFLOW_TRACKING_USERNAME || file.username || fromUri.username;
  const password = env.MLFLOW_TRACKING_PASSWORD || file.password || fromUri.password;
  const token = env.MLFLOW_TRACKING_TOKEN;
  if (username && password)
    return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  if (token) return `Bearer ${token}`;
  return undefined;
}

/** `~/.mlflow/credentials`, section `[mlflow]` (SPEC §3.7); missing or unreadable → nothing. */
function readCredentialsFile(env: Record<string, string | undefined>): {
  username?: string;
  password?: string;
} {
  const home = env.HOME ?? env.USERPROFILE;
  if (!home) return {};
  let text: string;
  try {
    text = readFileSync(join(home, '.mlflow', 'credentials'), 'utf8');
  } catch {
    return {};
  }
  const found: { username?: string; password?: string } = {};
  let section = '';
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      section = header[1]!.trim();
      continue;
    }
    const pair = /^\s*([\w.-]+)\s*[=:]\s*(.*?)\s*$/.exec(line);
    if (section !== 'mlflow' || !pair) continue;
    if (pair[1] === 'mlflow_tracking_username') found.username = pair[2]!;
    if (pair[1] === 'mlflow_tracking_password') found.password = pair[2]!;
  }
  return found;
}
