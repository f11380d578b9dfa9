export { type AtomicWriteOptions, writeFileAtomic } from './atomic-write.js';
export { findNonBinaryLabel, formatLabel } from './binary-labels.js';
export { type Clock, systemClock } from './clock.js';
export { fsFailure } from './fs-failure.js';
export { HeartError, type HeartErrorLike, isHeartError } from './heart-error.js';
export { ownField, ownValue } from './own.js';
export { redactUri } from './redact-uri.js';
export { findRepoRoot } from './repo-root.js';
export { type WorkerScript, workerScript } from './worker-script.js';
