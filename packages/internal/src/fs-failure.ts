const REASONS: Readonly<Record<string, { reason: string; advice: string }>> = {
  ENOSPC: {
    reason: 'no space left on the device',
    advice: 'free some space or use another folder',
  },
  EDQUOT: { reason: 'the disk quota is used up', advice: 'free some space or use another folder' },
  EROFS: { reason: 'the file system is read-only', advice: 'use a writable folder' },
  EACCES: { reason: 'permission denied', advice: 'fix the permissions or use another folder' },
  EPERM: { reason: 'operation not permitted', advice: 'fix the permissions or use another folder' },
  ENOTDIR: { reason: 'a part of the path is a file, not a folder', advice: 'check the path' },
  EISDIR: { reason: 'the path is a folder', advice: 'check the path' },
};

/**
 * A file system error said plainly, with the path and what to do (`cannot write data/raw/x: no
 * space left on the device (ENOSPC); free some space or use another folder`), or `undefined` when
 * `error` is not one a user can act on this way. No stack trace, nothing but the path.
 *
 * @example
 * ```ts
 * const message = fsFailure(error, path, 'write');
 * if (message) throw new DataError({ code: 'WRITE_FAILED', message, cause: error });
 * ```
 */
export function fsFailure(error: unknown, path: string, action: string): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const known = code === undefined ? undefined : REASONS[code];
  return known ? `cannot ${action} ${path}: ${known.reason} (${code}); ${known.advice}` : undefined;
}
