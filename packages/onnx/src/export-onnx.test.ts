import { LogisticRegression } from '@heart/models';
import { Pipeline } from '@heart/pipeline';
import { createHeartPreprocessor } from '@heart/preprocessing';
import { describe, expect, it } from 'vitest';
import { OnnxError } from './errors.js';
import { exportOnnx, ONNX_TARGET } from './export-onnx.js';
import { decodeModel } from './internal/onnx-schema.js';
import { fittedPipeline } from './test-support/heart.js';

interface Decoded {
  ir_version: number;
  opset_import: { domain?: string; version: number }[];
  producer_name: string;
  metadata_props: { key: string; value: string }[];
  graph: {
    node: { op_type: string; domain?: string }[];
    input: ValueInfo[];
    output: ValueInfo[];
  };
}
interface ValueInfo {
  name: string;
  type: {
    tensor_type: {
      elem_type: number;
      shape: { dim: { dim_value?: number; dim_param?: string }[] };
    };
  };
}

const decoded = (bytes: Uint8Array) => decodeModel(bytes) as unknown as Decoded;
const signature = (info: ValueInfo) => [
  info.name,
  info.type.tensor_type.elem_type,
  info.type.tensor_type.shape.dim.map((dim) => dim.dim_param ?? dim.dim_value),
];
const DOUBLE = 11;
const INT64 = 7;

const thrown = (run: () => unknown): OnnxError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(OnnxError);
    return error as OnnxError;
  }
  throw new Error('expected an OnnxError');
};

describe('exportOnnx', () => {
  it('writes IR 8 with opsets 17 and ai.onnx.ml 3, one float64 [N] input per field', async () => {
    const { pipeline } = await fittedPipeline('rf');
    const model = decoded(exportOnnx(pipeline));
    expect(model.ir_version).toBe(8);
    expect(model.opset_import.map((o) => [o.domain ?? '', o.version])).toEqual([
      ['', 17],
      ['ai.onnx.ml', 3],
    ]);
    expect(ONNX_TARGET).toMatchObject({ irVersion: 8, opsets: { '': 17, 'ai.onnx.ml': 3 } });
    expect(model.producer_name).toBe('heart');
    expect(model.graph.input.map(signature)).toEqual(
      pipeline.inputSchema.map((column) => [column.name, DOUBLE, ['N']]),
    );
  });

  it('has exactly two outputs, one value per row: prediction int64 and probability float64', async () => {
    for (const kind of ['lr', 'rf'] as const) {
      const { pipeline } = await fittedPipeline(kind);
      for (const inputs of ['columns', 'tensor'] as const) {
        const graph = decoded(exportOnnx(pipeline, { inputs })).graph;
        expect(graph.output.map(signature)).toEqual([
          ['prediction', INT64, ['N']],
          ['probability', DOUBLE, ['N']],
        ]);
        const ops = graph.node.map((node) => node.op_type);
        expect(ops).not.toContain('ZipMap');
        expect(ops).toContain(kind === 'rf' ? 'TreeEnsembleRegressor' : 'Sigmoid');
        expect(ops.filter((op) => ['IsNaN', 'Where', 'Equal', 'Concat'].includes(op))).toEqual(
          expect.arrayContaining(['IsNaN', 'Where', 'Equal', 'Concat']),
        );
      }
    }
  });

  it("offers one float64 [N, fields] input instead, fields in input-schema order ('tensor')", async () => {
    const { pipeline } = await fittedPipeline('lr');
    const model = decoded(exportOnnx(pipeline, { inputs: 'tensor', inputName: 'features' }));
    expect(model.graph.input.map(signature)).toEqual([['features', DOUBLE, ['N', 13]]]);
  });

  it('is deterministic and records the threshold, labels and schema as metadata', async () => {
    const { pipeline } = await fittedPipeline('rf');
    const bytes = exportOnnx(pipeline, { metadata: { run_id: 'abc' } });
    expect(Buffer.from(exportOnnx(pipeline, { metadata: { run_id: 'abc' } })).equals(bytes)).toBe(
      true,
    );
    const props = Object.fromEntries(
      decoded(bytes).metadata_props.map((entry) => [entry.key, entry.value]),
    );
    expect(props).toMatchObject({
      'heart.classifier': 'random-forest',
      'heart.threshold': '0.5',
      'heart.class_labels': '[0,1]',
      run_id: 'abc',
    });
    expect(JSON.parse(props['heart.input_schema']!)).toHaveLength(13);
    expect(JSON.parse(props['heart.feature_names']!)).toEqual(pipeline.featureNames);
  });

  it('refuses an unfitted pipeline, bad options and parts it has no ONNX form for', async () => {
    const { pipeline } = await fittedPipeline('lr');
    const unfitted = new Pipeline({
      preprocessor: createHeartPreprocessor(),
      classifier: new LogisticRegression(),
      inputSchema: pipeline.inputSchema,
    });
    expect(thrown(() => exportOnnx(unfitted)).code).toBe('NOT_FITTED');
    expect(thrown(() => exportOnnx({} as Pipeline)).code).toBe('NOT_FITTED');
    expect(thrown(() => exportOnnx(pipeline, { inputs: 'rows' as 'tensor' })).code).toBe(
      'INVALID_OPTION',
    );
    expect(thrown(() => exportOnnx(pipeline, { inputName: '' })).code).toBe('INVALID_OPTION');
    // Options that are not an object are refused (ignored before; null was a raw TypeError), and
    // null is no options.
    for (const options of ['tensor', 5, ['tensor']]) {
      expect(thrown(() => exportOnnx(pipeline, options as never)).message).toMatch(
        /options must be an object/,
      );
    }
    expect(exportOnnx(pipeline, null)).toEqual(exportOnnx(pipeline));
    const json = pipeline.toJSON();
    const fake = (change: (state: typeof json) => void): Pipeline => {
      const state = structuredClone(json);
      change(state);
      return { kind: 'heart-pipeline', fitted: true, toJSON: () => state } as unknown as Pipeline;
    };
    const svm = thrown(() => exportOnnx(fake((s) => Object.assign(s.classifier, { kind: 'svm' }))));
    expect(svm.code).toBe('UNSUPPORTED_PIPELINE');
    expect(svm.message).toContain('classifier svm');
    const step = thrown(() =>
      exportOnnx(fake((s) => Object.assign(s.preprocessor.groups[0]!.steps[0]!, { kind: 'pca' }))),
    );
    expect(step.message).toContain('group "num", step pca');
    const clash = thrown(() =>
      exportOnnx(fake((s) => Object.assign(s.metadata.inputSchema[0]!, { name: 'probability' }))),
    );
    expect(clash.message).toContain('probability');
  });
});
