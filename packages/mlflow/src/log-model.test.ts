import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MLFLOW_GOLDEN_DIR } from '@heart/test-support';
import { describe, expect, it } from 'vitest';
import { MlflowError } from './errors.js';
import { parseYaml } from './internal/yaml.js';
import { buildModelFolder, type LogModelOptions } from './log-model.js';

const ONNX = join(MLFLOW_GOLDEN_DIR, 'onnx');
const golden = (path: string) => readFileSync(join(ONNX, path));
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** `linear_flat` as `mlflow.onnx.log_model` logged it (onnx/logged/linear_flat.MLmodel). */
const LINEAR_FLAT: LogModelOptions = {
  artifactPath: 'linear_flat',
  files: { 'model.onnx': golden('linear-flat-double-sig/model.onnx') },
  flavor: {
    name: 'python_function',
    config: {
      loader_module: 'mlflow.onnx',
      python_version: '3.11.2',
      data: 'model.onnx',
      env: { conda: 'conda.yaml', virtualenv: 'python_env.yaml' },
    },
  },
  flavors: {
    onnx: {
      onnx_version: '1.12.0',
      data: 'model.onnx',
      providers: ['CUDAExecutionProvider', 'CPUExecutionProvider'],
      onnx_session_options: null,
      code: null,
    },
  },
  signature: {
    inputs: ['x1', 'x2', 'x3'].map((name) => ({ name, type: 'double' as const })),
    outputs: [
      { name: 'label', type: 'long' },
      { name: 'probability_1', type: 'float' },
    ],
  },
  inputExample: [
    { x1: 0.5, x2: -1.2, x3: 0.3 },
    { x1: -0.7, x2: 0.1, x3: 1.5 },
  ],
  mlflowVersion: '2.17.2',
  pythonEnv: {
    python: '3.11.2',
    requirements: ['mlflow==2.17.2', 'onnx==1.12.0', 'onnxruntime==1.30.0'],
  },
};

/** Joins the continuation lines of single-quoted scalars that PyYAML folded at ~80 columns. */
function unfold(yaml: string): string {
  const lines: string[] = [];
  for (const line of yaml.split('\n')) {
    const last = lines.length - 1;
    const open = last >= 0 && (lines[last]!.split("'").length - 1) % 2 === 1;
    if (open) lines[last] = `${lines[last]} ${line.trim()}`;
    else lines.push(line);
  }
  return lines.join('\n');
}

const RUN_ID = '0758eda2e1b54ed7937b4f2bd3a0c463';

describe('buildModelFolder with several flavors and a Python environment (MLflow onnx flavor)', () => {
  const built = buildModelFolder(RUN_ID, LINEAR_FLAT, new Date('2026-12-01T07:41:05.806Z'));
  const file = (name: string) => built.files.find(([path]) => path === name)?.[1];

  it('writes the MLmodel mlflow.onnx.log_model writes: same keys in the same order, same values', () => {
    const expected = text(golden('logged/linear_flat.MLmodel'));
    const ours = text(file('MLmodel')!);
    const keys = (yaml: string) => yaml.split('\n').filter((line) => /^\S/.test(line));
    expect(keys(ours).map((line) => line.split(':')[0])).toEqual(
      keys(expected).map((line) => line.split(':')[0]),
    );
    const parsed = parseYaml(ours) as Record<string, unknown>;
    const recorded = parseYaml(expected) as Record<string, unknown>;
    for (const key of ['model_uuid', 'utc_time_created']) delete recorded[key];
    expect(parsed.model_uuid).toBe(built.modelUuid);
    expect(parsed.utc_time_created).toBe('2026-12-01 07:41:05.806000');
    const { model_uuid: _uuid, utc_time_created: _time, ...rest } = parsed;
    expect(rest).toEqual(recorded);
    // Byte for byte but for the ids, the time, PyYAML's folding of long quoted strings (cosmetic,
    // SPEC §5.1) and the quotes our YAML emitter puts around version-like strings (3.11.2) that
    // PyYAML leaves plain: both read back as the same string.
    const normalise = (yaml: string) =>
      unfold(yaml)
        .replace(/^(model_uuid|utc_time_created): .*$/gm, '$1: …')
        .replace(/'(\d+(?:\.\d+)+)'/g, '$1');
    expect(normalise(ours)).toBe(normalise(expected));
  });

  it('counts the model and example files in model_size_bytes, not MLmodel or the environment', () => {
    expect(
      (parseYaml(text(file('MLmodel')!)) as { model_size_bytes: number }).model_size_bytes,
    ).toBe(860);
    for (const name of ['input_example.json', 'serving_input_example.json'])
      expect(text(file(name)!), name).toBe(text(golden(`linear-flat-double-sig/${name}`)));
  });

  it('writes conda.yaml, python_env.yaml and requirements.txt byte for byte as MLflow does', () => {
    for (const name of ['conda.yaml', 'python_env.yaml', 'requirements.txt'])
      expect(text(file(name)!), name).toBe(text(golden(`linear-flat-double-sig/${name}`)));
    expect(built.files.map(([name]) => name)).toEqual([
      'model.onnx',
      'input_example.json',
      'serving_input_example.json',
      'conda.yaml',
      'python_env.yaml',
      'requirements.txt',
      'MLmodel',
    ]);
  });

  it('keeps the flavors in the order given in the history entry (python_function, then onnx)', () => {
    expect(Object.keys(built.entry.flavors)).toEqual(['python_function', 'onnx']);
    expect(built.entry.flavors.onnx).toEqual(LINEAR_FLAT.flavors!.onnx);
  });

  it('writes neither mlflow_version nor environment files unless asked (heart alone)', () => {
    const plain = buildModelFolder(RUN_ID, {
      files: { 'model.json': '{}' },
      flavor: { name: 'heart', config: { model_file: 'model.json' } },
    });
    expect(plain.files.map(([name]) => name)).toEqual(['model.json', 'MLmodel']);
    expect(text(plain.files[1]![1])).not.toContain('mlflow_version');
  });

  it('refuses a flavor named twice or oddly, and an environment that is not pinned', () => {
    const refused = (options: Partial<LogModelOptions>): MlflowError => {
      try {
        buildModelFolder(RUN_ID, { ...LINEAR_FLAT, ...options });
      } catch (error) {
        expect(error).toBeInstanceOf(MlflowError);
        return error as MlflowError;
      }
      throw new Error('expected an MlflowError');
    };
    expect(refused({ flavors: { python_function: {} } }).message).toContain('python_function');
    expect(refused({ flavors: { 'bad flavor': {} } }).code).toBe('INVALID_PARAMETER_VALUE');
    // As a key of a plain object `__proto__` would replace its prototype: refused, not dropped.
    const proto = JSON.parse('{"__proto__": {"data": "model.onnx"}}') as LogModelOptions['flavors'];
    expect(refused({ flavors: proto }).message).toContain('"__proto__" is not a new simple name');
    expect(
      refused({ pythonEnv: { python: 'latest', requirements: ['mlflow'] } }).message,
    ).toContain('python must be a version');
    expect(
      refused({ pythonEnv: { python: '3.11.2', requirements: ['mlflow==2.17.2\nevil'] } }).message,
    ).toContain('not a pip pin');
  });
});
