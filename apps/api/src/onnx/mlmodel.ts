import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelLoadError } from '../model-load-error.js';
import { parseMlmodelYaml } from './mlmodel-yaml.js';

/** What heart reads from an MLflow model folder's `MLmodel`. */
export interface Mlmodel {
  /** The file itself (for messages). */
  file: string;
  /** Flavor name → its config (`heart`, `onnx`, `python_function`, …). */
  flavors: Record<string, Record<string, unknown>>;
  /** `signature.inputs` / `outputs`, still JSON text as MLflow writes them; undefined when absent. */
  signature: { inputs: string | undefined; outputs: string | undefined };
  runId: string | undefined;
}

const stringOf = (value: unknown) => (typeof value === 'string' ? value : undefined);
const isMapping = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Reads `<folder>/MLmodel`, or undefined when the folder has none (a heart `models/`-style folder).
 * A file that is not the YAML MLflow writes, or whose `flavors` is not a mapping, is a
 * {@link ModelLoadError} naming it.
 *
 * @example
 * const mlmodel = await readMlmodel('/tmp/model'); // { flavors: { onnx: { data: 'model.onnx', … } }, … }
 */
export async function readMlmodel(folder: string): Promise<Mlmodel | undefined> {
  const file = join(folder, 'MLmodel');
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new ModelLoadError(`${file} cannot be read: ${error.message}`, file, { cause: error });
  });
  if (text === undefined) return undefined;
  let document: unknown;
  try {
    document = parseMlmodelYaml(text);
  } catch (error) {
    throw new ModelLoadError(`${file} is not an MLmodel file: ${(error as Error).message}`, file, {
      cause: error,
    });
  }
  if (!isMapping(document) || !isMapping(document.flavors)) {
    throw new ModelLoadError(`${file} has no flavors: it is not an MLflow model`, file);
  }
  // Own keys only, whatever they are called (a `__proto__` flavor must not become the prototype).
  const flavors: Mlmodel['flavors'] = Object.fromEntries(
    Object.entries(document.flavors).map(([name, config]) => [
      name,
      isMapping(config) ? config : {},
    ]),
  );
  const signature = isMapping(document.signature) ? document.signature : {};
  return {
    file,
    flavors,
    signature: { inputs: stringOf(signature.inputs), outputs: stringOf(signature.outputs) },
    runId: stringOf(document.run_id),
  };
}
