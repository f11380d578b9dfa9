// Compiles assembly/logistic.ts (AssemblyScript) into src/internal/logistic-wasm.ts. Run by
// `pnpm build:wasm` after editing the AssemblyScript; src/internal/logistic-wasm.test.ts fails
// while the committed module is stale.
import { writeFileSync } from 'node:fs';
import { compileLogistic, GENERATED, generatedSource } from './wasm-source.js';

writeFileSync(GENERATED, generatedSource(await compileLogistic()));
console.log(`wrote ${GENERATED}`);
