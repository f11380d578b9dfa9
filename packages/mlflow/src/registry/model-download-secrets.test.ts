import { join } from 'node:path';
import { tempDir } from '@heart/test-support';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTrackingClient } from '../tracking-client.js';

// House rule: never a secret in a message. A version's source may be an https URL with
// credentials or a presigned object-store URL; the file store cannot fetch it and says so.
const SECRET = 'hunter2-s3cr3t';
let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  dir = await tempDir('heart-registry-secrets-');
});
afterEach(async () => {
  await dir.cleanup();
});

it.each([
  `https://deploy:${SECRET}@artifacts.example/heart/model`,
  `s3://models/heart/model?X-Amz-Signature=${SECRET}`,
])('downloadModel of a file-store version whose source is %s hides its secret', async (source) => {
  const client = createTrackingClient({ trackingUri: join(dir.path, 'mlruns'), env: {} });
  try {
    await client.registry.createRegisteredModel('heart-disease');
    await client.registry.createModelVersion({ name: 'heart-disease', source });
    const error = await client.registry
      .downloadModel('models:/heart-disease/1', { cacheDir: join(dir.path, 'cache') })
      .then(
        () => undefined,
        (caught: Error) => caught,
      );
    expect(error).toMatchObject({ code: 'UNSUPPORTED_URI' });
    expect(error!.message).not.toContain(SECRET);
  } finally {
    await client.close();
  }
});

it('createModelVersion refusing a relative source hides the source’s password', async () => {
  const client = createTrackingClient({ trackingUri: join(dir.path, 'mlruns'), env: {} });
  try {
    await client.registry.createRegisteredModel('heart-disease');
    const error = await client.registry
      .createModelVersion({
        name: 'heart-disease',
        source: `https://deploy:${SECRET}@artifacts.example/heart/../model`,
      })
      .then(
        () => undefined,
        (caught: Error) => caught,
      );
    expect(error).toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    expect(error!.message).toContain('Invalid model version source');
    expect(error!.message).not.toContain(SECRET);
  } finally {
    await client.close();
  }
});
