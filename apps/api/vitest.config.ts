import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // onnxruntime-node, in the tests' own process and in the processes they start.
    env: { ORT_DISABLE_TELEMETRY: '1' },
  },
});
