import { readFileSync } from 'node:fs';
import { MlflowError } from '../errors.js';

/** A malformed setting: `INVALID_PARAMETER_VALUE` naming the variable. */
export function badSetting(name: string, message: string): MlflowError {
  return new MlflowError({ code: 'INVALID_PARAMETER_VALUE', message: `${name} ${message}` });
}

/** A numeric variable times `scale` (seconds → ms); unset or blank → `undefined`. */
export function numberSetting(
  env: Record<string, string | undefined>,
  name: string,
  scale: number,
): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value))
    throw badSetting(name, `must be a number, got ${JSON.stringify(raw)}`);
  return value * scale;
}

/** MLflow's booleans: `true`/`false`/`1`/`0` in any case; anything else is an error. */
export function booleanSetting(
  env: Record<string, string | undefined>,
  name: string,
): boolean | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = raw.trim().toLowerCase();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw badSetting(name, `must be true, false, 1 or 0, got ${JSON.stringify(raw)}`);
}

/** The text of the file a variable names; an unreadable one is an error naming the variable. */
export function readSettingFile(name: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new MlflowError({
      code: 'INVALID_PARAMETER_VALUE',
      message: `${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      cause: error,
    });
  }
}
