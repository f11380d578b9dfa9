import { describe, expect, it } from 'vitest';
import { PipelineError } from './errors.js';
import { loadPipeline } from './load-pipeline.js';
import { fittedPipeline } from './test-support/heart.js';

const refused = (json: unknown, options?: Parameters<typeof loadPipeline>[1]): PipelineError => {
  try {
    loadPipeline(json, options);
  } catch (error) {
    expect(error).toBeInstanceOf(PipelineError);
    return error as PipelineError;
  }
  throw new Error('expected loadPipeline to refuse');
};

describe('loadPipeline refuses what it does not know', () => {
  it('text over the size limit, before parsing it', async () => {
    const text = JSON.stringify(await fittedPipeline('rf').then((f) => f.pipeline));
    const error = refused(text, { maxBytes: 1024, source: 'models/pipeline.json' });
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toBe(
      `models/pipeline.json: ${Buffer.byteLength(text)} bytes, more than the 1024 bytes allowed`,
    );
  });

  it('a non-finite number, naming its JSON path', async () => {
    const json = (await fittedPipeline('rf')).pipeline.toJSON();
    const text = JSON.stringify(json).replace(/"value":\[([-\d.e]+)/, '"value":[1e400');
    const error = refused(text);
    expect(error.code).toBe('INVALID_JSON');
    expect(error.message).toBe(
      'pipeline: non-finite number Infinity at $.classifier.trees[0].value[0]',
    );
    const parsed = structuredClone(json);
    (parsed.metadata as { threshold: number }).threshold = Number.NaN;
    expect(refused(parsed).message).toContain('non-finite number NaN at $.metadata.threshold');
  });

  it('nesting deeper than 64 levels, without recursion', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const error = refused(`{"kind":"heart-pipeline","x":${deep}}`, { maxBytes: 1e6 });
    expect(error.message).toMatch(/nesting deeper than 64 levels at \$\.x(\[0\])+/);
  });

  it('an unknown kind or format, and parts that do not agree', async () => {
    const json = (await fittedPipeline('lr')).pipeline.toJSON();
    expect(refused({ ...json, kind: 'pickle' }).message).toContain(
      'expected kind "heart-pipeline", got "pickle"',
    );
    expect(refused({ ...json, formatVersion: 2 }).message).toContain(
      'formatVersion 2 is not supported',
    );
    expect(refused('not json').message).toContain('pipeline: not valid JSON');
    const other = (await fittedPipeline('rf')).pipeline.toJSON();
    const mixed = {
      ...json,
      classifier: { ...other.classifier, featureNames: ['a', 'b'] },
    };
    expect(refused(mixed).message).toMatch(/\$\.classifier/);
    const renamed = {
      ...json,
      classifier: {
        ...json.classifier,
        featureNames: json.metadata.featureNames.map((n) => `${n}!`),
      },
    };
    expect(refused(renamed).message).toContain('the parts come from different trainings');
    const noSchema = { ...json, metadata: { ...json.metadata, inputSchema: [] } };
    expect(refused(noSchema).message).toContain(
      '$.metadata: inputSchema: must be a non-empty array',
    );
  });

  it('a deep hostile tree inside the classifier, as a coded error and not a stack overflow', async () => {
    const json = (await fittedPipeline('rf')).pipeline.toJSON();
    const depth = 200_000;
    const feature = [...new Array(depth).fill(0), -1, ...new Array(depth).fill(-1)];
    const value = [...new Array(depth).fill(0.5), 1, ...new Array(depth).fill(0)];
    const classifier = { ...json.classifier, trees: [{ feature, value }] };
    const error = refused({ ...json, classifier });
    expect(error.code).toBe('INVALID_JSON');
    expect(error.message).toContain(
      'pipeline $.classifier is not a model heart can load: random-forest: tree 0: deeper than 10000 levels',
    );
  });
});
