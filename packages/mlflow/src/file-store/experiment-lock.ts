import { open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { MlflowError } from '../errors.js';

const LOCK_FILE = '.heart-experiments.lock';
const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 20_000;

/**
 * Runs `work` holding `<root>/.heart-experiments.lock` (a file, which MLflow ignores), so two
 * processes creating experiments at once take turns. A lock older than 30 s, or whose holder is
 * dead, is taken over; after 20 s of waiting for a live holder it is `RESOURCE_CONFLICT`.
 */
export async function withExperimentLock<T>(root: string, work: () => Promise<T>): Promise<T> {
  const lock = join(root, LOCK_FILE);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const info = await stat(lock).catch(() => undefined);
      const owner = Number(await readFile(lock, 'utf8').catch(() => ''));
      if (
        info &&
        (Date.now() - info.mtimeMs > LOCK_STALE_MS || (owner > 0 && !processAlive(owner)))
      ) {
        await unlink(lock).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) {
        throw new MlflowError({
          code: 'RESOURCE_CONFLICT',
          message: `${lock} is held by another process; remove it if no MLflow writer runs`,
        });
      }
      await new Promise((done) => setTimeout(done, 10 + Math.random() * 20));
    }
  }
  try {
    return await work();
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}

/** Whether a process with this id runs on this machine (a killed lock holder does not). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
