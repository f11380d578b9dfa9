import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHeartPreprocessor } from '@heart/preprocessing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelLoadError } from './model-load-error.js';
import { loadBundleFromDir } from './model-store.js';
import { clevelandRows, writeModelDir } from './test-support/fixtures.js';

let fixture: Awaited<ReturnType<typeof writeModelDir>>;

beforeAll(async () => {
  fixture = await writeModelDir('random-forest');
});
afterAll(async () => {
  await fixture.cleanup();
});

describe('model loading', () => {
  it('refuses a missing file, a corrupt file and mismatched model/preprocessor, naming the file', async () => {
    const missing = await loadBundleFromDir('/nonexistent/models').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ModelLoadError);
    expect((missing as Error).message).toMatch(
      /best_model\.json is missing; run `pnpm turbo run train`/,
    );
    const other = await writeModelDir('logistic-regression');
    try {
      await writeFile(join(other.dir, 'best_model.json'), '{"kind":"pickle","formatVersion":1}');
      const corrupt = (await loadBundleFromDir(other.dir).catch(
        (error: unknown) => error,
      )) as ModelLoadError;
      expect(corrupt.file).toBe(join(other.dir, 'best_model.json'));
      expect(corrupt.message).toContain('unknown model kind "pickle"');
      // A preprocessor from another training (other columns) does not match the model.
      const narrow = createHeartPreprocessor({ categoricalColumns: ['sex', 'cp'] }).fit(
        await clevelandRows(),
      );
      await writeFile(join(other.dir, 'best_model.json'), JSON.stringify(fixture.model));
      await writeFile(join(other.dir, 'preprocessor.json'), JSON.stringify(narrow));
      const mismatch = (await loadBundleFromDir(other.dir).catch(
        (error: unknown) => error,
      )) as ModelLoadError;
      expect(mismatch.message).toMatch(
        /expects features \[age, .*\] but .*preprocessor\.json produces \[age, .*sex=1, cp=1/,
      );
      await writeFile(join(other.dir, 'preprocessor.json'), JSON.stringify(fixture.preprocessor));
      await writeFile(join(other.dir, 'metadata.json'), '[1,2');
      const metadata = (await loadBundleFromDir(other.dir).catch(
        (error: unknown) => error,
      )) as ModelLoadError;
      expect(metadata.file).toBe(join(other.dir, 'metadata.json'));
    } finally {
      await other.cleanup();
    }
  });

  it('serves a seed-era models/ folder (no input schema): ca and thal may be missing, the rest required', async () => {
    const legacy = await writeModelDir('logistic-regression', undefined, { legacy: true });
    try {
      const bundle = await loadBundleFromDir(legacy.dir);
      expect(bundle.pipeline.inputSchema.filter((field) => !field.nullable)).toHaveLength(11);
      expect(bundle.runId).toBe('fixture0run0id0000000000000000001');
      expect(bundle.pipeline.training.metrics).toEqual({ roc_auc: 0.95 });
    } finally {
      await legacy.cleanup();
    }
  });
});
