import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // onnxruntime-node reads it when it loads (turbo's strict env would not pass it through).
    env: { ORT_DISABLE_TELEMETRY: '1' },
  },
});
