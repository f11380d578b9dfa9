import { featureFields, type HeartRow, loadDataset } from '@heart/data';
import { LogisticRegression, RandomForest } from '@heart/models';
import { type InputRecord, type InputSchema, Pipeline } from '@heart/pipeline';
import { createHeartPreprocessor, trainTestSplit } from '@heart/preprocessing';
import { UCI_DIR } from '@heart/test-support';

let cached: { rows: HeartRow[]; missing: Record<string, number> } | undefined;

/** All 303 Cleveland rows (fixture copy) and their missing counts. */
async function cleveland() {
  if (!cached) {
    const { rows, summary } = await loadDataset(`${UCI_DIR}/processed.cleveland.data`);
    cached = { rows, missing: summary.missing };
  }
  return cached;
}

const pipelines = new Map<string, Promise<Fitted>>();

interface Fitted {
  pipeline: Pipeline;
  rows: HeartRow[];
  test: HeartRow[];
}

/**
 * A pipeline fitted as the train app fits it (scikit-learn's split, seed 42; LR with C = 1, or
 * 100 trees seeded 42), with all Cleveland rows and the test split.
 */
export function fittedPipeline(kind: 'lr' | 'rf'): Promise<Fitted> {
  let fitted = pipelines.get(kind);
  if (!fitted) {
    fitted = (async () => {
      const { rows, missing } = await cleveland();
      const labels = rows.map((row) => row.target);
      const split = trainTestSplit({ labels, seed: 42, testSize: 0.2, method: 'sklearn' });
      const train = split.trainIndex.map((i) => rows[i]!);
      const pipeline = new Pipeline({
        preprocessor: createHeartPreprocessor(),
        classifier:
          kind === 'lr'
            ? new LogisticRegression({ C: 1, maxIter: 1000 })
            : new RandomForest({ nEstimators: 100, seed: 42 }),
        inputSchema: featureFields(missing),
      }).fit(
        train,
        train.map((row) => row.target),
      );
      return { pipeline, rows, test: split.testIndex.map((i) => rows[i]!) };
    })();
    pipelines.set(kind, fitted);
  }
  return fitted;
}

/** mulberry32: a small seeded generator of numbers in [0, 1). */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Options of {@link generatedRecords}. */
interface GeneratedOptions {
  /** Default 7. */
  seed?: number;
  /** Rows whose values are drawn half of the time (per field). */
  like?: readonly object[];
  /** Which fields may be `null` (one time in four): `'nullable'` (default) or `'all'`. */
  missing?: 'nullable' | 'all';
}

/**
 * `count` records over `schema` (seeded): each field half of the time the value of a random row
 * of `like`, else categorical fields a random code and numeric ones uniform over their bounds,
 * half of them whole numbers; `null` one time in four where `missing` allows.
 */
export function generatedRecords(
  schema: InputSchema,
  count: number,
  options: GeneratedOptions = {},
): InputRecord[] {
  const random = generator(options.seed ?? 7);
  const like = options.like ?? [];
  const value = (column: InputSchema[number]): number => {
    if (like.length > 0 && random() < 0.5) {
      const row = like[Math.floor(random() * like.length)] as Record<string, number | null>;
      const seen = row[column.name];
      if (typeof seen === 'number') return seen;
    }
    if (column.kind === 'categorical') {
      const codes = column.values!;
      return codes[Math.floor(random() * codes.length)]!;
    }
    const low = column.min ?? 0;
    const drawn = low + random() * ((column.max ?? 1) - low);
    return random() < 0.5 ? Math.round(drawn) : drawn;
  };
  return Array.from({ length: count }, () => {
    const record: Record<string, number | null> = {};
    for (const column of schema) {
      const mayMiss = options.missing === 'all' || column.nullable;
      record[column.name] = mayMiss && random() < 0.25 ? null : value(column);
    }
    return record;
  });
}
