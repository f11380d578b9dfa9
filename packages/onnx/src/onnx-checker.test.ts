import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MLFLOW_GOLDEN_DIR, SYSTEM_PYTHON, tempDir } from '@heart/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx, ONNX_TARGET } from './export-onnx.js';
import { fittedPipeline } from './test-support/heart.js';

const SCRIPT = resolve(import.meta.dirname, '../scripts/check-onnx.py');

/** What `check-onnx.py` says about each file. */
interface CheckedFile {
  file: string;
  ok: boolean;
  error?: string;
  ir_version: number;
  opsets: Record<string, number>;
  inputs: [string, string, (string | number)[]][];
  outputs: [string, string, (string | number)[]][];
}

function runChecker(files: string[]) {
  const result = spawnSync(SYSTEM_PYTHON, [SCRIPT, ...files], { encoding: 'utf8' });
  const last = result.stdout?.trim().split('\n').at(-1) ?? '';
  return { status: result.status, error: result.error, report: last ? JSON.parse(last) : {} };
}

/** Why the checker cannot run here, or `undefined` when it can. */
function checkerMissing(): string | undefined {
  const probe = runChecker([]);
  if (probe.error) return `${SYSTEM_PYTHON} cannot be run (${probe.error.message})`;
  if (probe.status === 2) return `${SYSTEM_PYTHON} has no onnx package (${probe.report.missing})`;
  return undefined;
}

const missing = checkerMissing();
if (missing) {
  console.warn(
    `onnx checker tests SKIPPED: ${missing}. Install Debian's onnx 1.12 checker with ` +
      '`apt-get install -y python3-onnx` (.ci/run does when apt-get is there and it runs as root).',
  );
}

describe.skipIf(missing !== undefined)(
  `onnx.checker.check_model(full_check=True)${missing ? ` — SKIPPED: ${missing}; apt-get install -y python3-onnx` : ''}`,
  () => {
    let dir: Awaited<ReturnType<typeof tempDir>>;
    const files: string[] = [];
    beforeAll(async () => {
      dir = await tempDir('heart-onnx-check-');
      for (const kind of ['lr', 'rf'] as const) {
        const { pipeline } = await fittedPipeline(kind);
        for (const inputs of ['columns', 'tensor'] as const) {
          const file = join(dir.path, `${kind}-${inputs}.onnx`);
          writeFileSync(file, exportOnnx(pipeline, { inputs }));
          files.push(file);
        }
      }
    });
    afterAll(() => dir.cleanup());

    it("passes Debian's onnx 1.12 checker and its strict shape inference, both models and layouts", () => {
      const { status, report } = runChecker(files);
      expect(report.onnx_version).toBe(ONNX_TARGET.onnxVersion);
      for (const checked of report.files as CheckedFile[]) {
        expect(checked.error, checked.file).toBeUndefined();
        expect(checked.ok).toBe(true);
        expect(checked.ir_version).toBe(8);
        expect(checked.opsets).toEqual({ '': 17, 'ai.onnx.ml': 3 });
        expect(checked.outputs).toEqual([
          ['prediction', 'INT64', ['N']],
          ['probability', 'DOUBLE', ['N']],
        ]);
      }
      expect(status).toBe(0);
    });

    it('reports a broken file as a failure (the script is not a rubber stamp)', () => {
      const broken = join(dir.path, 'broken.onnx');
      writeFileSync(broken, readFileSync(files[0]!).subarray(0, 200));
      const { status, report } = runChecker([broken]);
      expect(status).toBe(1);
      expect(report.files[0].ok).toBe(false);
    });
  },
);

describe('the target format is what MLflow 2.17 with onnx 1.12 and onnxruntime 1.30 accept', () => {
  const recorded = JSON.parse(
    readFileSync(join(MLFLOW_GOLDEN_DIR, 'onnx/pyfunc-predict.json'), 'utf8'),
  ) as {
    onnx_version: string;
    acceptance: {
      ir_version: number;
      opset: number;
      'ai.onnx.ml': number;
      onnx_checker: string;
      onnxruntime: string;
    }[];
  };

  it('IR 8 with opsets 17 / ai.onnx.ml 3 passed both; every IR above 8 failed the checker', () => {
    expect(recorded.onnx_version).toBe(ONNX_TARGET.onnxVersion);
    const ours = recorded.acceptance.find(
      (entry) =>
        entry.ir_version === ONNX_TARGET.irVersion &&
        entry.opset === ONNX_TARGET.opsets[''] &&
        entry['ai.onnx.ml'] === ONNX_TARGET.opsets['ai.onnx.ml'],
    );
    expect(ours).toMatchObject({ onnx_checker: 'ok', onnxruntime: 'ok' });
    const newer = recorded.acceptance.filter((entry) => entry.ir_version > ONNX_TARGET.irVersion);
    expect(newer.length).toBeGreaterThan(0);
    for (const entry of newer) {
      expect(entry.onnx_checker).toContain('higher than the checker');
      expect(entry.onnxruntime).toBe('ok');
    }
  });
});
