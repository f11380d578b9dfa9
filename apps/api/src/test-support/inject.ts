import inject, { type InjectOptions } from 'light-my-request';
import { pino } from 'pino';
import { type AppOptions, createApp } from '../app.js';
import { createMetrics } from '../metrics.js';

/** The app in-process, with light-my-request's inject (no socket), for tests. */
export function testApp(options: Partial<AppOptions> & Pick<AppOptions, 'holder'>) {
  const app = createApp({
    config: { bodyLimit: 1_048_576, batchLimit: 1000, threshold: 0.5 },
    metrics: createMetrics(),
    logger: pino({ level: 'silent' }),
    ...options,
  });
  return {
    inject: (request: InjectOptions | string) => inject(app.handle, request),
  };
}
