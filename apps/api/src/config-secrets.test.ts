import { expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.js';

// House rule: never a secret in a message. heart-api prints a ConfigError's message at start-up.
const SECRET = 'hunter2-s3cr3t';

it.each([
  `https://deploy:${SECRET}@models.example/heart-disease`,
  `s3://models/heart-disease?X-Amz-Signature=${SECRET}`,
])('a MODEL_URI it cannot serve (%s) is refused without its secret', (uri) => {
  let error: unknown;
  try {
    readConfig({ MODEL_URI: uri, HEART_ROOT: process.cwd() }, process.cwd());
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as Error).message).toContain('MODEL_URI must be');
  expect((error as Error).message).not.toContain(SECRET);
});
