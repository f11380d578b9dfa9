import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isHeartError } from '@heart/internal';
import { gridSize, MAX_CANDIDATES, parseSearchSpace, type SearchSpace } from '@heart/tuning';
import { type ModelKind, type TrainOptions, UsageError } from './options.js';

/** A search-space file is JSON of a few lines; anything this large is not one. */
const MAX_SPACE_BYTES = 1_048_576;

/**
 * The search space of each model `--search` tunes: the `--search-space` file's (for the model it
 * names), else a default of at least four candidates per model in `--models`.
 */
export type SearchSpaces = Partial<Record<ModelKind, SearchSpace>>;

const KIND_OF_SPACE: Record<SearchSpace['model'], ModelKind> = {
  'random-forest': 'rf',
  'logistic-regression': 'lr',
};

/** The grids and distributions used without `--search-space` (documented in `--help`). */
function defaultSpace(kind: ModelKind): SearchSpace {
  return kind === 'rf'
    ? {
        model: 'random-forest',
        fixed: {},
        grid: { maxDepth: [null, 5], minSamplesLeaf: [1, 4] },
        distributions: {
          maxDepth: [null, 3, 5, 8],
          minSamplesLeaf: { type: 'int', low: 1, high: 8 },
          maxFeatures: ['sqrt', 'log2', 0.5],
        },
      }
    : {
        model: 'logistic-regression',
        fixed: {},
        grid: { C: [0.01, 0.1, 1, 10] },
        distributions: { C: { type: 'loguniform', low: 0.001, high: 100 } },
      };
}

/**
 * Reads what `--search` tunes. A file that cannot be read, is not JSON, or whose space is refused
 * by `parseSearchSpace` is a {@link UsageError} naming the file (and the JSON path at fault).
 */
export async function readSearchSpaces(options: TrainOptions): Promise<SearchSpaces> {
  const search = options.search;
  if (!search) return {};
  if (search.spaceFile === undefined) {
    return Object.fromEntries(options.models.map((kind) => [kind, defaultSpace(kind)]));
  }
  const file = resolve(options.root, search.spaceFile);
  const space = await parseSpaceFile(file);
  const kind = KIND_OF_SPACE[space.model];
  if (!options.models.includes(kind)) {
    throw new UsageError(
      `--search-space ${file} tunes ${space.model} ("${kind}"), which --models (${options.models.join(',')}) does not train`,
    );
  }
  if (search.method === 'grid' && !space.grid) {
    throw new UsageError(
      `--search grid: ${file} has no "grid" (lists of values per option); give one, or use --search random with its "distributions"`,
    );
  }
  if (search.method === 'grid' && gridSize(space.grid!) > MAX_CANDIDATES) {
    throw new UsageError(
      `--search-space ${file}: space.grid: ${gridSize(space.grid!)} candidates; at most ${MAX_CANDIDATES} (each is cross-validated); use --search random with "trials" to draw from it`,
    );
  }
  if (search.method === 'random' && !space.distributions && !space.grid) {
    throw new UsageError(`--search random: ${file} has neither "distributions" nor "grid"`);
  }
  return { [kind]: space };
}

async function parseSpaceFile(file: string): Promise<SearchSpace> {
  let text: string;
  try {
    const bytes = await readFile(file);
    if (bytes.length > MAX_SPACE_BYTES)
      throw new UsageError(`--search-space ${file} is ${bytes.length} bytes; at most 1 MiB`);
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `--search-space ${file} cannot be read${code === 'ENOENT' ? ': no such file' : ` (${code ?? 'error'})`}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--search-space ${file} is not JSON: ${(error as Error).message}`);
  }
  try {
    return parseSearchSpace(json);
  } catch (error) {
    if (isHeartError(error)) throw new UsageError(`--search-space ${file}: ${error.message}`);
    throw error;
  }
}
