import { randomBytes } from 'node:crypto';
import { link, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, systemClock } from '@heart/internal';
import { MlflowError } from '../errors.js';

const LOCK_FILE = '.heart-experiments.lock';
/** A holder that has not finished within this time is dead: shorter than the wait below. */
const LOCK_STALE_MS = 10_000;
const LOCK_WAIT_MS = 30_000;

/**
 * Runs `work` holding `<root>/.heart-experiments.lock` (a file, which MLflow ignores), so two
 * processes creating experiments at once take turns. The lock appears whole, with its holder's
 * pid in it (written to a temporary file and hard-linked into place), so a lock that is empty or
 * unreadable was left by a killed writer: it is taken over at once, as is one whose holder is dead
 * or older than 10 s. After 30 s without the lock it is `RESOURCE_CONFLICT`.
 */
export async function withExperimentLock<T>(
  root: string,
  work: () => Promise<T>,
  clock: Clock = systemClock,
): Promise<T> {
  const lock = join(root, LOCK_FILE);
  const deadline = clock.now() + LOCK_WAIT_MS;
  while (!(await tryLock(lock))) {
    if (await deadHolder(lock, clock)) {
      await unlink(lock).catch(() => undefined);
      continue;
    }
    if (clock.now() > deadline) {
      throw new MlflowError({
        code: 'RESOURCE_CONFLICT',
        message: `${lock} is held by another process; remove it if no MLflow writer runs`,
      });
    }
    await clock.sleep(10 + Math.floor(Math.random() * 20));
  }
  try {
    return await work();
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}

/** Creates the lock with this process's pid in it, in one step; `false` when it exists. */
async function tryLock(lock: string): Promise<boolean> {
  const temp = `${lock}.${randomBytes(6).toString('hex')}`;
  await writeFile(temp, String(process.pid));
  try {
    await link(temp, lock);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** Whether the lock's holder is gone: no pid in it (a torn write), a dead pid, or too old. */
async function deadHolder(lock: string, clock: Clock): Promise<boolean> {
  const [info, text] = await Promise.all([
    stat(lock).catch(() => undefined),
    readFile(lock, 'utf8').catch(() => undefined),
  ]);
  if (!info || text === undefined) return false; // gone already: just try again
  const owner = /^\s*(\d+)\s*$/.exec(text)?.[1];
  if (!owner) return true;
  return clock.now() - info.mtimeMs > LOCK_STALE_MS || !processAlive(Number(owner));
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
