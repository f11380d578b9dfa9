import { parse } from 'yaml';

/**
 * Parses an `MLmodel` file with the `yaml` library (what @heart/mlflow reads MLflow's files
 * with): YAML 1.2 core schema, so `utc_time_created` stays a string, duplicate keys refused, and
 * aliases refused outright (`maxAliasCount: 0`) — an MLmodel never has one, and a file that
 * expands aliases exponentially is an attack. Errors name the line.
 */
export function parseMlmodelYaml(text: string): unknown {
  try {
    return parse(text, { schema: 'core', maxAliasCount: 0, uniqueKeys: true });
  } catch (error) {
    const line = (error as { linePos?: [{ line: number }] }).linePos?.[0]?.line;
    const reason = (error as Error).message
      .split('\n')[0]!
      .replace(/ at line \d+, column \d+:?$/, '');
    throw new Error(line === undefined ? reason : `line ${line}: ${reason}`, { cause: error });
  }
}
