import { invalidParameter } from '../errors.js';

/** A model URI, parsed as MLflow parses it (`_parse_model_uri`, `parse_runs_uri`). */
export type ParsedModelUri =
  | { kind: 'version'; name: string; version: string }
  | { kind: 'alias'; name: string; alias: string }
  | { kind: 'stage'; name: string; stage: string }
  | { kind: 'latest'; name: string }
  | { kind: 'runs'; runId: string; path: string };

/**
 * Parses `models:/<name>/<version>`, `models:/<name>@<alias>`, `models:/<name>/<stage>`,
 * `models:/<name>/latest` (any case) and `runs:/<run>/<path>`; anything else is
 * `INVALID_PARAMETER_VALUE` with MLflow's message.
 *
 * @example
 * ```ts
 * parseModelUri('models:/heart-disease@champion'); // { kind: 'alias', name: 'heart-disease', alias: 'champion' }
 * ```
 */
export function parseModelUri(uri: string): ParsedModelUri {
  if (/^runs:/i.test(uri)) return { kind: 'runs', ...parseRunsUri(uri) };
  const match = /^models:(\/[^?#]*)$/i.exec(uri);
  const path = match?.[1];
  if (path === undefined || path.startsWith('//') || path.length <= 1) throw improperModelUri(uri);
  const parts = path.slice(1).split('/');
  const [name, suffix] = parts as [string, string | undefined];
  if (parts.length > 2 || name.trim() === '') throw improperModelUri(uri);
  if (suffix !== undefined) {
    if (suffix.trim() === '') throw improperModelUri(uri);
    if (/^\d+$/.test(suffix)) return { kind: 'version', name, version: suffix };
    if (suffix.toLowerCase() === 'latest') return { kind: 'latest', name };
    return { kind: 'stage', name, stage: suffix };
  }
  const at = name.lastIndexOf('@');
  if (at < 0 || name.slice(at + 1).trim() === '') throw improperModelUri(uri);
  return { kind: 'alias', name: name.slice(0, at), alias: name.slice(at + 1) };
}

/** `runs:/<run>/<path>` → the run id and the artifact path (`''` for the run's root). */
export function parseRunsUri(uri: string): { runId: string; path: string } {
  const match = /^runs:\/([^/?#]+)(?:\/([^?#]*))?$/i.exec(uri);
  if (!match) {
    throw invalidParameter(
      `Not a proper runs:/ URI: ${uri}. Runs URIs must be of the form 'runs:/<run_id>/run-relative/path/to/artifact'`,
    );
  }
  return { runId: match[1]!, path: (match[2] ?? '').replace(/\/+$/, '') };
}

/** `<uri>/<path>`, one `/` between (MLflow's `append_to_uri_path`). */
export function appendToUriPath(uri: string, path: string): string {
  const tail = path.replace(/^\/+/, '');
  return tail === '' ? uri : `${uri.replace(/\/+$/, '')}/${tail}`;
}

function improperModelUri(uri: string) {
  return invalidParameter(
    `Not a proper models:/ URI: ${uri}. Models URIs must be of the form 'models:/model_name/suffix' or 'models:/model_name@alias' where suffix is a model version, stage, or the string 'latest' and where alias is a registered model alias. Only one of suffix or alias can be defined at a time.`,
  );
}
