import { createHash } from 'node:crypto';
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ownValue } from '@heart/internal';
import { PipelineError } from './errors.js';
import type { InputSchema } from './input-schema.js';
import { assemblePipeline, DEFAULT_MAX_PIPELINE_BYTES, parseSavedJson } from './load-pipeline.js';
import type { PipelineMetadata } from './metadata.js';
import type { Pipeline } from './pipeline.js';

/**
 * Where a pipeline's three parts go — the one place these names are spelled: `models/` (the seed's
 * `best_model.json`, `preprocessor.json`, `metadata.json`) and an MLflow model folder (`model.json`,
 * `preprocessor.json`, `metadata.json` beside the `MLmodel` file).
 */
export const PIPELINE_FILES = {
  'models-dir': {
    classifier: 'best_model.json',
    preprocessor: 'preprocessor.json',
    metadata: 'metadata.json',
  },
  'mlflow-model': {
    classifier: 'model.json',
    preprocessor: 'preprocessor.json',
    metadata: 'metadata.json',
  },
} as const;

/** A layout of {@link PIPELINE_FILES}. */
export type PipelineLayout = keyof typeof PIPELINE_FILES;

/** The format of `metadata.json`: 2 since it carries the input schema (1: the seed's). */
const METADATA_FORMAT = 2;

/**
 * The pipeline as files: name → JSON text. `metadata.json` keeps the seed's fields at its top
 * level (`kind`, `metrics`, `mlflow`, …: the training summary) beside the typed ones.
 */
export function pipelineFiles(pipeline: Pipeline, layout: PipelineLayout): Record<string, string> {
  const names = PIPELINE_FILES[layout];
  const { training, ...metadata } = pipeline.metadata;
  const classifier = JSON.stringify(pipeline.classifier);
  const preprocessor = JSON.stringify(pipeline.preprocessor);
  return {
    [names.classifier]: classifier,
    [names.preprocessor]: preprocessor,
    [names.metadata]: `${JSON.stringify(
      {
        formatVersion: METADATA_FORMAT,
        kind: metadata.classifierKind,
        ...training,
        featureNames: metadata.featureNames,
        inputColumns: metadata.inputSchema.map((column) => column.name),
        inputSchema: metadata.inputSchema,
        classLabels: metadata.classLabels,
        threshold: metadata.threshold,
        versions: metadata.versions,
        // The parts of one set: a file from another training is refused on load.
        parts: {
          [names.classifier]: sha256(classifier),
          [names.preprocessor]: sha256(preprocessor),
        },
      },
      null,
      2,
    )}\n`,
  };
}

const sha256 = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex');

/** Options for {@link readPipelineFiles} and {@link loadPipelineDir}. */
export interface ReadPipelineOptions {
  /** Refuse a part larger than this many bytes. Default 64 MiB. */
  maxBytes?: number;
  /**
   * The input schema of a pipeline saved before metadata carried one (the seed's `metadata.json`,
   * or an MLflow model with no `metadata.json`); without it such a pipeline is refused.
   */
  legacyInputSchema?: InputSchema;
}

/**
 * Rebuilds a pipeline from its files, read through `read` (a folder, an MLflow run's artifacts):
 * each part within the size limit and checked as {@link loadPipeline} checks it. `read` returns
 * `undefined` for a file that does not exist; `where` names the source in messages.
 */
export async function readPipelineFiles(
  read: (name: string) => Promise<string | Uint8Array | undefined>,
  layout: PipelineLayout,
  options: ReadPipelineOptions & { where: string },
): Promise<Pipeline> {
  const names = PIPELINE_FILES[layout];

  const texts: Record<string, string | Uint8Array> = {};
  const part = async (name: string, required: boolean): Promise<unknown> => {
    const source = `${options.where}/${name}`;
    const text = await read(name);
    if (text === undefined) {
      if (!required) return undefined;
      throw new PipelineError({ code: 'FILE_NOT_FOUND', message: `${source} is missing`, source });
    }
    texts[name] = text;
    return parseSavedJson(text, { what: name, source, maxBytes: options.maxBytes });
  };
  // In order, so the message names the first file at fault.
  const classifier = await part(names.classifier, true);
  const preprocessor = await part(names.preprocessor, true);
  const saved = (await part(names.metadata, layout === 'models-dir')) as
    | Record<string, unknown>
    | undefined;
  const pipeline = assemblePipeline(
    { classifier, preprocessor, metadata: readMetadata(saved, options, options.where) },
    {
      where: options.where,
      names: {
        classifier: `${options.where}/${names.classifier}`,
        preprocessor: `${options.where}/${names.preprocessor}`,
        metadata: `${options.where}/${names.metadata}`,
      },
    },
  );
  // Each part is what a pipeline can be; now check they are one set.
  checkParts(saved?.parts, texts, options.where);
  return pipeline;
}

/** Refuses parts whose sha256 is not the one `metadata.json` recorded: a set mixed from trainings. */
function checkParts(
  parts: unknown,
  texts: Record<string, string | Uint8Array>,
  where: string,
): void {
  if (!parts || typeof parts !== 'object') return;
  for (const [name, expected] of Object.entries(parts as Record<string, unknown>)) {
    const text = ownValue(texts, name) as string | Uint8Array | undefined;
    if (text === undefined || sha256(text) === expected) continue;
    throw new PipelineError({
      code: 'INVALID_JSON',
      message: `${where}/${name} is not the file its metadata.json was written with (sha256 ${sha256(text).slice(0, 12)}, expected ${String(expected).slice(0, 12)}): the files come from different trainings`,
      source: `${where}/${name}`,
    });
  }
}

/** `metadata.json` (format 2, or the seed's 1 with a legacy schema) as {@link PipelineMetadata}. */
function readMetadata(
  saved: Record<string, unknown> | undefined,
  options: ReadPipelineOptions,
  where: string,
): Partial<PipelineMetadata> {
  const {
    formatVersion,
    kind: _kind,
    featureNames: _featureNames,
    inputColumns: _inputColumns,
    inputSchema,
    classLabels,
    threshold,
    versions,
    parts: _parts,
    ...training
  } = saved ?? {};
  // The seed wrote formatVersion 1 (or none, in hand-made folders) and no input schema.
  const legacy = saved === undefined || formatVersion === 1 || formatVersion === undefined;
  if (!legacy && formatVersion !== METADATA_FORMAT) {
    throw new PipelineError({
      code: 'INVALID_JSON',
      message: `${where}: metadata formatVersion ${JSON.stringify(formatVersion)} is not supported (this version reads 1 and ${METADATA_FORMAT})`,
      source: where,
    });
  }
  if (legacy && !options.legacyInputSchema) {
    throw new PipelineError({
      code: 'INVALID_JSON',
      message: `${where}: saved by an older heart without an input schema; train again`,
      source: where,
    });
  }
  return {
    inputSchema: (legacy ? options.legacyInputSchema : inputSchema) as InputSchema,
    ...(classLabels === undefined ? {} : { classLabels: classLabels as [number, number] }),
    ...(typeof threshold === 'number' ? { threshold } : {}),
    ...(versions && typeof versions === 'object'
      ? { versions: versions as Record<string, string> }
      : {}),
    training: training as PipelineMetadata['training'],
  };
}

/**
 * Reads a pipeline saved in a folder (`models/`), refusing a file over the size limit before
 * reading it.
 *
 * @example
 * ```ts
 * const pipeline = await loadPipelineDir('models');
 * ```
 */
export async function loadPipelineDir(
  dir: string,
  options: ReadPipelineOptions = {},
): Promise<Pipeline> {
  const limit = options.maxBytes ?? DEFAULT_MAX_PIPELINE_BYTES;
  // A folder written by savePipelineDir: resolve `current` once, so every part comes from one set
  // even if a new training switches it meanwhile.
  const release = await lstat(join(dir, CURRENT_LINK)).then(
    (info) => (info.isSymbolicLink() ? realpath(join(dir, CURRENT_LINK)) : undefined),
    () => undefined,
  );
  const from = release ?? dir;
  return readPipelineFiles(
    async (name) => {
      const file = join(from, name);
      // Messages name the path the user knows (models/best_model.json), not the release's.
      const shown = join(dir, name);
      const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw fileError(shown, error);
      });
      if (!info) return undefined;
      if (info.size > limit) {
        throw new PipelineError({
          code: 'TOO_LARGE',
          message: `${shown}: ${info.size} bytes, more than the ${limit} bytes allowed`,
          source: shown,
        });
      }
      return readFile(file).catch((error: NodeJS.ErrnoException) => {
        throw fileError(shown, error);
      });
    },
    'models-dir',
    { ...options, where: dir },
  );
}

/** The link in a `models/` folder to the release being served. */
export const CURRENT_LINK = 'current';

function fileError(file: string, error: NodeJS.ErrnoException): PipelineError {
  return new PipelineError({
    code: 'FILE_NOT_FOUND',
    message: `${file} cannot be read (${error.code ?? error.message})`,
    cause: error,
    source: file,
  });
}
