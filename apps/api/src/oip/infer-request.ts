import { ApiError } from '../errors.js';
import type { Patient } from '../score-patient.js';
import { type FieldPath, Problems } from '../validation/problems.js';
import { assertRowLimit, type Validators } from '../validators.js';

/** The tensor types an input may declare, and whether their elements must be integers. */
const DATATYPES: Record<string, boolean> = { FP64: false, FP32: false, INT64: true };
/** What heart answers: the names KServe's sklearn and xgboost servers give a classifier's outputs. */
export const OUTPUTS = ['label', 'probabilities'] as const;
type OutputName = (typeof OUTPUTS)[number];

/** An inference request, decoded: the patients, the `id` to echo, the outputs asked for. */
export interface InferRequest {
  patients: Patient[];
  id: string | undefined;
  outputs: readonly OutputName[];
}

interface Input {
  name: string;
  shape: number[];
  integers: boolean;
  data: unknown[];
}

const bad = (message: string) => new ApiError({ code: 'VALIDATION_FAILED', message });
const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** `$parameters`: an object whose values are strings, numbers or booleans (none is defined: ignored). */
function checkParameters(value: unknown, where: string): void {
  if (value === undefined) return;
  const ok =
    isObject(value) &&
    Object.values(value).every((v) => ['string', 'number', 'boolean'].includes(typeof v));
  if (!ok) throw bad(`${where}parameters must be an object of string, number or boolean values`);
}

/**
 * Row-major data, nested or flat, as a flat list: a `[N, k]` tensor's rows are flattened one level;
 * anything nested deeper is left as it is and refused value by value (never recursion: no input
 * can overflow the stack).
 */
function flatten(data: unknown[], depth: number): unknown[] {
  return depth === 2 && data.length > 0 && Array.isArray(data[0]) ? data.flat(1) : data;
}

const labelOf = (name: string) => JSON.stringify(name.slice(0, 64));

/** `[N]` or `[N, columns]`, whole numbers ≥ 0. */
function isShape(shape: unknown): shape is number[] {
  if (!Array.isArray(shape) || shape.length === 0 || shape.length > 2) return false;
  for (const d of shape) if (!Number.isSafeInteger(d) || d < 0) return false;
  return true;
}

function readInput(value: unknown, index: number): Input {
  if (!isObject(value))
    throw bad(`inputs[${index}] must be an object with name, shape, datatype and data`);
  const { name, shape, datatype, data, parameters } = value;
  if (typeof name !== 'string') throw bad(`inputs[${index}].name must be a string`);
  // Only errors name the input: no JSON.stringify on the way that succeeds.
  if (!isShape(shape)) {
    throw bad(`input ${labelOf(name)}: shape must be [N] or [N, columns] of whole numbers`);
  }
  if (typeof datatype !== 'string' || !Object.hasOwn(DATATYPES, datatype)) {
    throw bad(
      `input ${labelOf(name)}: datatype ${JSON.stringify(String(datatype).slice(0, 20))} is not supported; send FP64, FP32 or INT64`,
    );
  }
  if (!Array.isArray(data)) throw bad(`input ${labelOf(name)}: data must be an array`);
  if (parameters !== undefined) checkParameters(parameters, `input ${labelOf(name)}: `);
  const flat = flatten(data, shape.length);
  let size = 1;
  for (const d of shape) size *= d;
  if (flat.length !== size)
    throw bad(
      `input ${labelOf(name)}: shape [${shape.join(', ')}] holds ${size} values, data has ${flat.length}`,
    );
  return { name, shape, integers: DATATYPES[datatype]!, data: flat };
}

/** Checks a value against its input's datatype: a number (an integer for INT64), or null. */
function typeProblem(value: unknown, integers: boolean): string | undefined {
  if (value === null) return undefined;
  if (typeof value !== 'number')
    return `must be a number, got ${JSON.stringify(value)?.slice(0, 20)}`;
  if (integers && !Number.isInteger(value)) return `must be an integer (INT64), got ${value}`;
  return undefined;
}

/** The rows of a model with a tensor signature: one `[N, width]` input (any name) → `{ [tensor]: row }`. */
function tensorRows(
  inputs: Input[],
  tensor: { name: string; width: number },
  problems: Problems,
): Patient[] {
  const [input] = inputs;
  const { width } = tensor;
  if (inputs.length !== 1 || !input || input.shape.length !== 2 || input.shape[1] !== width) {
    throw bad(
      `this model takes one [N, ${width}] tensor (its signature's ${tensor.name}); got ${inputs.map((item) => `${JSON.stringify(item.name)} [${item.shape.join(', ')}]`).join(', ')}`,
    );
  }
  return Array.from({ length: input.shape[0]! }, (_, row) => {
    const values = input.data.slice(row * width, (row + 1) * width);
    values.forEach((value, i) => {
      const problem =
        value === null
          ? 'must be a number (a tensor has no missing values)'
          : typeProblem(value, input.integers);
      if (problem) problems.add(row, `${tensor.name}/${i}`, problem);
    });
    return { [tensor.name]: values as number[] };
  });
}

/** The patients of the inputs: one `[N, columns]` tensor in schema order, or one `[N]` input per column. */
function patientsOf(inputs: Input[], validators: Validators, problems: Problems): Patient[] {
  if (validators.tensor) return tensorRows(inputs, validators.tensor, problems);
  const { names, inputSchema } = validators;
  const tensor = inputs.length === 1 && inputs[0]!.shape.length === 2 && inputs[0]!.shape[1] !== 1;
  if (tensor) {
    const [input] = inputs as [Input];
    if (input.shape[1] !== names.length) {
      throw bad(
        `input ${JSON.stringify(input.name)}: a tensor input has shape [N, ${names.length}] (columns ${names.join(', ')}), got [${input.shape.join(', ')}]`,
      );
    }
    const count = input.shape[0]!;
    const width = names.length;
    const patients = new Array<Patient>(count);
    for (let row = 0; row < count; row++) {
      const patient = validators.blank();
      for (let c = 0; c < width; c++) {
        const value = input.data[row * width + c];
        const name = names[c]!;
        // The common case, a number of the right kind, without a call.
        if (typeof value !== 'number' || (input.integers && !Number.isInteger(value))) {
          const problem = typeProblem(value, input.integers);
          if (problem) problems.add(row, name, problem);
        }
        patient[name] = value as number | null;
      }
      patients[row] = patient;
    }
    return patients;
  }
  // One input per column, found by name: at its own place in the schema's order first (what
  // clients send), else by a scan (13 names: no Map to build).
  const byColumn = new Array<Input | undefined>(names.length);
  const unknown: string[] = [];
  let twice = false;
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i]!;
    const at = names[i] === input.name ? i : names.indexOf(input.name);
    if (at < 0) unknown.push(input.name.slice(0, 64));
    else if (byColumn[at]) twice = true;
    else byColumn[at] = input;
  }
  const missing =
    inputs.length === names.length && unknown.length === 0 && !twice
      ? []
      : inputSchema.filter((c, i) => !c.nullable && !byColumn[i]).map((c) => c.name);
  if (unknown.length > 0 || missing.length > 0 || twice) {
    throw bad(
      `send one [N] input per column (${names.join(', ')}; ca and other nullable ones may be left out) or one [N, ${names.length}] tensor${missing.length ? `; missing: ${missing.join(', ')}` : ''}${unknown.length ? `; unknown: ${unknown.slice(0, 20).join(', ')}` : ''}${twice ? '; an input is given twice' : ''}`,
    );
  }
  const count = inputs[0]!.shape[0]!;
  let uneven: Input | undefined;
  for (const input of inputs) {
    if (input.shape[0] !== count || (input.shape.length === 2 && input.shape[1] !== 1)) {
      uneven = input;
      break;
    }
  }
  if (uneven) {
    throw bad(
      `every input has shape [${count}] (or [${count}, 1]); ${JSON.stringify(uneven.name)} has [${uneven.shape.join(', ')}]`,
    );
  }
  const patients = new Array<Patient>(count);
  for (let row = 0; row < count; row++) {
    const patient = validators.blank();
    for (let c = 0; c < names.length; c++) {
      const input = byColumn[c];
      const value = input ? input.data[row] : null;
      if (input && typeof value !== 'number') {
        const problem = typeProblem(value, input.integers);
        if (problem) problems.add(row, names[c]!, problem);
      } else if (input?.integers && !Number.isInteger(value)) {
        problems.add(row, names[c]!, `must be an integer (INT64), got ${value}`);
      }
      patient[names[c]!] = value as number | null;
    }
    patients[row] = patient;
  }
  return patients;
}

const rowPath: FieldPath = (row, name) => (row === undefined ? name : `row ${row} ${name}`);

/**
 * Decodes an Open Inference Protocol v2 `$inference_request` for heart's pipeline: `inputs` as one
 * `[N]` FP64/FP32/INT64 tensor per input column (`null` allowed where the schema is nullable) or
 * one `[N, 13]` tensor under any name; `outputs` a subset of `label` and `probabilities`;
 * `parameters` (request, input, output) objects of scalars, none of them read. Every value is then
 * checked against the input schema; a 400 says what is wrong (at most 20 values named).
 *
 * @example
 * inferRequest({ id: '42', inputs: [{ name: 'x', shape: [1, 13], datatype: 'FP64', data: [63, …] }] }, validators);
 */
export function inferRequest(body: unknown, validators: Validators): InferRequest {
  if (!isObject(body)) throw bad('the body must be a JSON object with inputs');
  const { id, inputs, outputs, parameters } = body;
  if (id !== undefined && typeof id !== 'string') throw bad('id must be a string');
  checkParameters(parameters, '');
  if (!Array.isArray(inputs) || inputs.length === 0)
    throw bad('inputs must be a non-empty array of tensors');
  const most = Math.max(validators.names.length, 1);
  if (inputs.length > most) throw bad(`at most ${most} inputs, got ${inputs.length}`);
  const asked = outputs === undefined ? OUTPUTS : readOutputs(outputs);
  const problems = new Problems(rowPath);
  const tensors = inputs.map(readInput);
  // N is known from the first input's shape: too many rows are refused before any row is built.
  assertRowLimit(tensors[0]!.shape[0]!, validators.batchLimit);
  const patients = patientsOf(tensors, validators, problems);
  if (patients.length === 0) throw bad('the inputs hold no rows: N must be at least 1');
  assertRowLimit(patients.length, validators.batchLimit);
  if (problems.total === 0) {
    for (let row = 0; row < patients.length; row++)
      validators.record(patients[row], row, problems, false);
  }
  if (problems.total > 0) {
    const listed = problems.listed.map((item) => `${item.field} ${item.message}`).join('; ');
    throw bad(
      `${problems.total} value${problems.total === 1 ? '' : 's'} do not fit the model's inputs: ${listed}${problems.omitted ? `; and ${problems.omitted} more` : ''}`,
    );
  }
  return { patients, id, outputs: asked };
}

function readOutputs(outputs: unknown): OutputName[] {
  if (!Array.isArray(outputs)) throw bad('outputs must be an array of { name }');
  return outputs.map((output, i) => {
    if (!isObject(output) || !OUTPUTS.includes(output.name as OutputName)) {
      throw bad(`outputs[${i}].name must be one of ${OUTPUTS.join(', ')}`);
    }
    checkParameters(output.parameters, `output ${output.name}: `);
    return output.name as OutputName;
  });
}
