import { loadModel } from '@heart/models';
import { ColumnPipeline } from '@heart/preprocessing';
import { PipelineError } from './errors.js';
import { assertInputSchema } from './input-schema.js';
import type { PipelineMetadata } from './metadata.js';
import { Pipeline, type PipelineJSON } from './pipeline.js';

/** Largest saved pipeline {@link loadPipeline} reads by default: 64 MiB. */
export const DEFAULT_MAX_PIPELINE_BYTES = 64 * 1024 * 1024;

/** Options for {@link loadPipeline}. */
export interface LoadPipelineOptions {
  /** Refuse JSON text larger than this many bytes. Default {@link DEFAULT_MAX_PIPELINE_BYTES}. */
  maxBytes?: number;
  /** The file or URI the JSON came from, for messages. */
  source?: string;
}

const MAX_DEPTH = 64;

/**
 * Parses JSON text within a size limit (`TOO_LARGE`), or takes a parsed value as it is, and
 * refuses any non-finite number (`1e400` parses to Infinity) or nesting deeper than 64 levels,
 * naming the JSON path of the bad value. Walks iteratively: no input can overflow the stack.
 */
export function parseSavedJson(
  input: unknown,
  options: LoadPipelineOptions & { what: string },
): unknown {
  const where = options.source ?? options.what;
  let value = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const bytes = typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
    const limit = options.maxBytes ?? DEFAULT_MAX_PIPELINE_BYTES;
    if (bytes > limit) {
      throw new PipelineError({
        code: 'TOO_LARGE',
        message: `${where}: ${bytes} bytes, more than the ${limit} bytes allowed`,
        source: options.source,
      });
    }
    try {
      value = JSON.parse(typeof input === 'string' ? input : new TextDecoder().decode(input));
    } catch (error) {
      throw new PipelineError({
        code: 'INVALID_JSON',
        message: `${where}: not valid JSON (${(error as Error).message})`,
        cause: error,
        source: options.source,
      });
    }
  }
  const bad = findBadValue(value);
  if (bad) {
    throw new PipelineError({
      code: 'INVALID_JSON',
      message: `${where}: ${bad.problem} at ${bad.path}`,
      source: options.source,
    });
  }
  return value;
}

/** The first non-finite number or too-deep nesting, with its JSON path. */
function findBadValue(root: unknown): { path: string; problem: string } | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value: root, path: '$', depth: 0 },
  ];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return { path, problem: `non-finite number ${value}` };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DEPTH) return { path, problem: `nesting deeper than ${MAX_DEPTH} levels` };
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], path: `${path}[${i}]`, depth: depth + 1 });
    } else {
      const entries = Object.entries(value as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i]!;
        const step = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
        stack.push({ value: item, path: `${path}${step}`, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

/**
 * Rebuilds a saved {@link Pipeline} (its `toJSON()`, as text or parsed): checked against the size
 * limit, for non-finite numbers (with their JSON path), for its `kind` and `formatVersion`, and
 * its parts for agreement — the classifier must take exactly the preprocessor's output features.
 * JSON only: nothing loaded can execute code.
 *
 * @example
 * ```ts
 * const pipeline = loadPipeline(await readFile('pipeline.json', 'utf8'));
 * ```
 */
export function loadPipeline(json: unknown, options: LoadPipelineOptions = {}): Pipeline {
  const where = options.source ?? 'pipeline';
  const value = parseSavedJson(json, { ...options, what: 'pipeline' }) as Partial<PipelineJSON>;
  const fail = (message: string, cause?: unknown): never => {
    throw new PipelineError({
      code: 'INVALID_JSON',
      message: `${where}: ${message}`,
      cause,
      source: options.source,
    });
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail('expected a JSON object');
  if (value.kind !== 'heart-pipeline')
    fail(`expected kind "heart-pipeline", got ${JSON.stringify(value.kind)}`);
  if (value.formatVersion !== 1) {
    fail(
      `formatVersion ${JSON.stringify(value.formatVersion)} is not supported (this version reads 1)`,
    );
  }
  return assemblePipeline(
    { preprocessor: value.preprocessor, classifier: value.classifier, metadata: value.metadata },
    { where },
  );
}

/** Builds a pipeline from its three saved parts (already size- and number-checked). */
export function assemblePipeline(
  parts: { preprocessor: unknown; classifier: unknown; metadata: unknown },
  context: {
    where: string;
    names?: { preprocessor: string; classifier: string; metadata: string };
  },
): Pipeline {
  const names = context.names ?? {
    preprocessor: `${context.where} $.preprocessor`,
    classifier: `${context.where} $.classifier`,
    metadata: `${context.where} $.metadata`,
  };
  /** `part` names the file or JSON path at fault (the error's `source`). */
  const fail = (part: string, message: string, cause?: unknown, joiner = ': '): never => {
    throw new PipelineError({
      code: 'INVALID_JSON',
      message: `${part}${joiner}${message}`,
      cause,
      source: part,
    });
  };
  let preprocessor: ColumnPipeline;
  try {
    preprocessor = ColumnPipeline.load(parts.preprocessor);
  } catch (error) {
    return fail(
      names.preprocessor,
      (error as Error).message,
      error,
      ' is not a preprocessor heart can load: ',
    );
  }
  let classifier: ReturnType<typeof loadModel>;
  try {
    classifier = loadModel(parts.classifier);
  } catch (error) {
    return fail(
      names.classifier,
      (error as Error).message,
      error,
      ' is not a model heart can load: ',
    );
  }
  const metadata = parts.metadata as Partial<PipelineMetadata> | null;
  if (!metadata || typeof metadata !== 'object') return fail(names.metadata, 'not an object');
  try {
    assertInputSchema(metadata.inputSchema, 'inputSchema');
  } catch (error) {
    return fail(names.metadata, (error as Error).message, error);
  }
  const produced = preprocessor.featureNames;
  const taken = classifier.featureNames;
  if (produced.length !== taken.length || produced.some((name, i) => name !== taken[i])) {
    fail(
      names.classifier,
      `expects features [${taken.join(', ')}] but ${names.preprocessor} produces [${produced.join(', ')}]: the parts come from different trainings`,
    );
  }
  const labels = metadata.classLabels ?? [0, 1];
  if (!Array.isArray(labels) || labels.length !== 2 || !labels.every(Number.isFinite))
    fail(names.metadata, 'classLabels must be two numbers');
  try {
    return new Pipeline({
      preprocessor,
      classifier,
      inputSchema: metadata.inputSchema!,
      threshold: metadata.threshold ?? 0.5,
      classLabels: labels as [number, number],
      training: (metadata.training ?? {}) as PipelineMetadata['training'],
      versions: (metadata.versions ?? {}) as Record<string, string>,
    });
  } catch (error) {
    return fail(names.metadata, (error as Error).message, error);
  }
}
