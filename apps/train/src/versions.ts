import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const PACKAGES = [
  '@heart/data',
  '@heart/preprocessing',
  '@heart/models',
  '@heart/metrics',
  '@heart/mlflow',
  '@heart/plots',
];

/** Versions of the heart libraries in use, and Node's. */
export function heartVersions(): Record<string, string> {
  const versions: Record<string, string> = { node: process.versions.node };
  for (const name of PACKAGES) {
    try {
      versions[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      versions[name] = 'unknown';
    }
  }
  return versions;
}
