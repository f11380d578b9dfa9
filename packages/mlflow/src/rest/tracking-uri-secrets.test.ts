import { expect, it } from 'vitest';
import { createTrackingClient } from '../tracking-client.js';

// House rule: never a secret in a message. A password typed unencoded into the tracking URI may
// hold `#`, `/` or `?`: the URL then does not parse, and the message must not show any of it.
const SECRET = 'hunter2-s3cr3t';

it.each([
  `https://mlflow:pa#${SECRET}@mlflow.example:5000`,
  `https://mlflow:pa/${SECRET}@mlflow.example`,
  `https://mlflow:pa?${SECRET}@mlflow.example`,
])('a tracking URI that does not parse (%s) is refused without the password', (trackingUri) => {
  let error: unknown;
  try {
    createTrackingClient({ trackingUri, env: {} });
  } catch (caught) {
    error = caught;
  }
  expect(error).toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
  expect((error as Error).message).toContain('MLFLOW_TRACKING_URI');
  expect((error as Error).message).not.toContain(SECRET);
});
