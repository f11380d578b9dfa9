import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Options for {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** Folder of the temporary file (same file system as the target). Default the target's folder. */
  tempDir?: string;
  /** Flush the bytes to the disk before the rename. Default `true`. */
  fsync?: boolean;
  /** File mode of a new file. Default `0o666` (less the umask). */
  mode?: number;
}

/**
 * Writes `data` to a temporary file and renames it over `target`: a reader sees the old file or the
 * new one, never a part. Every byte is checked written (a short write on a full disk is an error,
 * not a truncated file), the file is fsynced before the rename, and a failure removes the
 * temporary file and leaves the target as it was.
 */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const folder = options.tempDir ?? dirname(target);
  await mkdir(dirname(target), { recursive: true });
  const temp = join(folder, `.tmp-${randomBytes(6).toString('hex')}`);
  try {
    const handle = await open(temp, 'wx', options.mode ?? 0o666);
    try {
      await writeAll(handle, bytes, temp);
      if (options.fsync !== false) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Writes all of `bytes`, going on after a short write and failing if the disk takes nothing. */
async function writeAll(
  handle: Awaited<ReturnType<typeof open>>,
  bytes: Uint8Array,
  path: string,
): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, offset);
    if (bytesWritten <= 0) {
      throw Object.assign(
        new Error(
          `ENOSPC: no space left on device, write ${path} (${offset} of ${bytes.length} bytes written)`,
        ),
        { code: 'ENOSPC', path },
      );
    }
    offset += bytesWritten;
  }
}
