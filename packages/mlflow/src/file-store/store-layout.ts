import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where deleted experiments go. */
export const TRASH = '.trash';
/** Folders of the store root that are not experiments. */
export const ROOT_RESERVED: ReadonlySet<string> = new Set([TRASH, 'models']);
/** Folders of an experiment that are not runs. */
export const EXPERIMENT_RESERVED: ReadonlySet<string> = new Set([
  'tags',
  'datasets',
  'traces',
  'models',
]);

/** The folders experiments live in: the store root, then its trash. */
export function experimentParents(root: string): string[] {
  return [root, join(root, TRASH)];
}

/** The absolute `file://` URI of a folder. */
export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
