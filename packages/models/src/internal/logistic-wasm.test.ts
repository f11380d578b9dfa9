import { describe, expect, it } from 'vitest';
import { compileLogistic, generatedSource } from '../../scripts/wasm-source.js';
import { LOGISTIC_WASM } from './logistic-wasm.js';

describe('the committed WebAssembly module', () => {
  it('is what assembly/logistic.ts compiles to (run `pnpm build:wasm` after editing it)', async () => {
    const bytes = await compileLogistic();
    expect(Buffer.from(LOGISTIC_WASM, 'base64').equals(Buffer.from(bytes))).toBe(true);
    expect(generatedSource(bytes)).toContain(LOGISTIC_WASM.slice(0, 96));
  }, 60_000);
});
