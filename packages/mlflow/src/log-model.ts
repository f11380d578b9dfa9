import { invalidParameter } from './errors.js';
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
  /**
   * More flavors beside `flavor`, name → config, in the order MLflow adds them (the history tag
   * keeps it; `MLmodel` sorts): e.g. `python_function` (`loader_module: mlflow.onnx`, `data`,
   * `env`, `python_version`) and `onnx` for a model that `mlflow.pyfunc` can load. Default none.
   */
  flavors?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  signature?: ModelSignature;
  /** Example rows (records with the same keys), saved as `input_example.json` in pandas split orient. */
  inputExample?: readonly Readonly<Record<string, unknown>>[];
  /**
   * `mlflow_version` of `MLmodel`: the MLflow release whose formats the model follows (`2.17.2`).
   * Default: absent (heart claims no Python MLflow unless a flavor needs one).
   */
  mlflowVersion?: string;
  /**
   * The Python environment MLflow writes beside `MLmodel` — `conda.yaml`, `python_env.yaml`,
   * `requirements.txt`, as `mlflow.<flavor>.save_model` writes them — for a `python_function`
   * flavor whose `env` names them. Not counted in `model_size_bytes`, as in MLflow. Default none.
   */
  pythonEnv?: PythonEnvironment;
}

/** What `conda.yaml`, `python_env.yaml` and `requirements.txt` pin (SPEC §5.2, §10.1). */
interface PythonEnvironment {
  /** The Python version (`3.11.2`). */
  python: string;
  /** pip requirements, one per line of `requirements.txt` (`mlflow==2.17.2`, `onnx==1.12.0`, …). */
  requirements: readonly string[];
  /**
   * `python_env.yaml`'s build dependencies; `conda.yaml` caps pip at this pip. Default pip
   * 23.0.1, setuptools 66.1.1, wheel 0.38.4 (MLflow 2.17.2 on Debian bookworm, as recorded).
   */
  buildDependencies?: { pip: string; setuptools: string; wheel: string };
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
  const flavors = collectFlavors(options);
  if (options.pythonEnv) files.push(...environmentFiles(options.pythonEnv));
  const mlmodel = toYaml({
    artifact_path: artifactPath,
    flavors,
    ...(options.mlflowVersion === undefined ? {} : { mlflow_version: options.mlflowVersion }),
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

/** `flavor` and `flavors` as one mapping; names must be simple identifiers, each used once. */
function collectFlavors(options: LogModelOptions): Record<string, Record<string, unknown>> {
  const flavors: Record<string, Record<string, unknown>> = {
    [options.flavor.name]: { ...options.flavor.config },
  };
  for (const [name, config] of Object.entries(options.flavors ?? {})) {
    if (!/^[\w.-]+$/.test(name) || name === '__proto__' || Object.hasOwn(flavors, name))
      throw invalidParameter(`logModel: flavors: ${JSON.stringify(name)} is not a new simple name`);
    if (!config || typeof config !== 'object' || Array.isArray(config))
      throw invalidParameter(`logModel: flavors.${name} must be a mapping`);
    flavors[name] = { ...config };
  }
  return flavors;
}

const PIN = /^[A-Za-z0-9][\w.+-]*(?:[=<>!~]=?[\w.*+!-]+)?$/;
const VERSION = /^\d+(?:\.\d+)*$/;

/** `conda.yaml`, `python_env.yaml` and `requirements.txt`, byte for byte as MLflow 2.17 writes them. */
function environmentFiles(env: PythonEnvironment): [string, Uint8Array][] {
  const encoder = new TextEncoder();
  const build = env.buildDependencies ?? { pip: '23.0.1', setuptools: '66.1.1', wheel: '0.38.4' };
  for (const [what, version] of Object.entries({ python: env.python, ...build }))
    if (typeof version !== 'string' || !VERSION.test(version))
      throw invalidParameter(`logModel: pythonEnv: ${what} must be a version such as 3.11.2`);
  const requirements = [...(env.requirements ?? [])];
  const bad = requirements.find((line) => typeof line !== 'string' || !PIN.test(line));
  if (requirements.length === 0 || bad !== undefined)
    throw invalidParameter(
      `logModel: pythonEnv.requirements: ${JSON.stringify(bad ?? [])} is not a pip pin`,
    );
  const conda = toYaml({
    channels: ['conda-forge'],
    dependencies: [`python=${env.python}`, `pip<=${build.pip}`, { pip: requirements }],
    name: 'mlflow-env',
  });
  const pythonEnv = [
    `python: ${env.python}`,
    'build_dependencies:',
    `- pip==${build.pip}`,
    `- setuptools==${build.setuptools}`,
    `- wheel==${build.wheel}`,
    'dependencies:',
    '- -r requirements.txt',
    '',
  ].join('\n');
  return [
    ['conda.yaml', encoder.encode(conda)],
    ['python_env.yaml', encoder.encode(pythonEnv)],
    ['requirements.txt', encoder.encode(requirements.join('\n'))],
  ];
}

function specWithRequired(spec: SignatureColumn | TensorSpec): Record<string, unknown> {
  if (spec.type === 'tensor') return { ...spec };
  return { type: spec.type, name: spec.name, required: spec.required ?? true };
}
