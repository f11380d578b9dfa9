import { newUuidHex } from './internal/ids.js';
import { pythonJsonDumps, utcTimeCreated } from './internal/python-format.js';
import { toYaml } from './internal/yaml.js';
import type { LoggedModelEntry } from './tracking-store.js';

/** A column of a model signature (MLflow's `ColSpec`): its name, type and whether it is required. */
export interface SignatureColumn {
  name: string;
  type: 'boolean' | 'integer' | 'long' | 'float' | 'double' | 'string' | 'binary' | 'datetime';
  required?: boolean;
}

/** A tensor of a model signature (MLflow's tensor spec). */
export interface TensorSpec {
  type: 'tensor';
  'tensor-spec': { dtype: string; shape: number[] };
  name?: string;
}

/** A model's inputs and outputs, written into `MLmodel` as MLflow does. */
export interface ModelSignature {
  inputs: readonly (SignatureColumn | TensorSpec)[];
  outputs: readonly (SignatureColumn | TensorSpec)[];
}

/** Options for `logModel`. */
export interface LogModelOptions {
  /** The model folder inside the run's artifacts. Default `'model'`. */
  artifactPath?: string;
  /** Files of the model: name → text or bytes (`{ 'model.json': json, 'preprocessor.json': … }`). */
  files: Readonly<Record<string, string | Uint8Array>>;
  /**
   * The flavor entry of `MLmodel`: a name and its plain-data config (for heart: the model and
   * preprocessor file names and their format versions). No `python_function`: nothing here is pickled.
   */
  flavor: { name: string; config: Readonly<Record<string, unknown>> };
  signature?: ModelSignature;
  /** Example rows (records with the same keys), saved as `input_example.json` in pandas split orient. */
  inputExample?: readonly Readonly<Record<string, unknown>>[];
}

/** What `logModel` recorded. */
export interface LoggedModel {
  modelUuid: string;
  artifactPath: string;
  /** `runs:/<run_id>/<artifact_path>` */
  modelUri: string;
  utcTimeCreated: string;
  /** Every file written under the artifact path, `MLmodel` included. */
  files: string[];
}

/** The files of a model folder (MLflow-2 layout, SPEC §5) and its history-tag entry. */
export function buildModelFolder(
  runId: string,
  options: LogModelOptions,
  now = new Date(),
): {
  files: [string, Uint8Array][];
  entry: LoggedModelEntry;
  modelUuid: string;
  artifactPath: string;
  utcTimeCreated: string;
} {
  const artifactPath = (options.artifactPath ?? 'model').replace(/^\/+|\/+$/g, '');
  const encoder = new TextEncoder();
  const files: [string, Uint8Array][] = Object.entries(options.files).map(([name, content]) => [
    name,
    typeof content === 'string' ? encoder.encode(content) : content,
  ]);
  let exampleInfo: Record<string, string> | undefined;
  if (options.inputExample && options.inputExample.length > 0) {
    const columns = Object.keys(options.inputExample[0]!);
    const split = {
      columns,
      data: options.inputExample.map((row) => columns.map((column) => row[column] ?? null)),
    };
    files.push(['input_example.json', encoder.encode(pythonJsonDumps(split))]);
    files.push([
      'serving_input_example.json',
      encoder.encode(JSON.stringify({ dataframe_split: split }, null, 2)),
    ]);
    exampleInfo = {
      artifact_path: 'input_example.json',
      pandas_orient: 'split',
      serving_input_path: 'serving_input_example.json',
      type: 'dataframe',
    };
  }
  const modelSizeBytes = files.reduce((sum, [, bytes]) => sum + bytes.length, 0);
  const modelUuid = newUuidHex();
  const created = utcTimeCreated(now);
  const flavors = { [options.flavor.name]: { ...options.flavor.config } };
  const mlmodel = toYaml({
    artifact_path: artifactPath,
    flavors,
    model_size_bytes: modelSizeBytes,
    model_uuid: modelUuid,
    run_id: runId,
    ...(exampleInfo ? { saved_input_example_info: exampleInfo } : {}),
    ...(options.signature
      ? {
          signature: {
            inputs: pythonJsonDumps(options.signature.inputs.map(specWithRequired)),
            outputs: pythonJsonDumps(options.signature.outputs.map(specWithRequired)),
            params: null,
          },
        }
      : {}),
    utc_time_created: created,
  });
  files.push(['MLmodel', encoder.encode(mlmodel)]);
  const entry: LoggedModelEntry = {
    run_id: runId,
    artifact_path: artifactPath,
    utc_time_created: created,
    model_uuid: modelUuid,
    flavors: Object.fromEntries(
      Object.entries(flavors).map(([name, config]) => {
        const { config: _dropped, ...rest } = config as Record<string, unknown>;
        return [name, rest];
      }),
    ),
  };
  return { files, entry, modelUuid, artifactPath, utcTimeCreated: created };
}

function specWithRequired(spec: SignatureColumn | TensorSpec): Record<string, unknown> {
  if (spec.type === 'tensor') return { ...spec };
  return { type: spec.type, name: spec.name, required: spec.required ?? true };
}
