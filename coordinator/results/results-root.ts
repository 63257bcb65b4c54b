import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigurationError } from '../../shared/errors.ts';
import { makeDirectory } from './make-directory.ts';

/**
 * The results root must take a new folder before a run starts: a run that executes fully and then
 * cannot write its results has cost its whole duration for nothing.
 */

/** Creates the root and a probe file in it (then removes it); ConfigurationError (exit 2) saying why not. */
export async function assertResultsRootWritable(root: string): Promise<void> {
  const probe = join(root, `.refswarm-probe-${process.pid}-${Date.now()}`);
  try {
    await makeDirectory(root);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    throw new ConfigurationError(`cannot write results under "${root}": ${fileSystemReason(error)}: set RESULTS_DIR to a writable folder`);
  }
}

/** "read-only file system (EROFS)" rather than the bare errno message. */
export function fileSystemReason(error: unknown): string {
  const { code, path } = error as NodeJS.ErrnoException;
  const what: Record<string, string> = {
    EROFS: 'read-only file system',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOTDIR: 'a file is in the way where a folder is needed',
    EEXIST: 'a file is in the way where a folder is needed',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    ENOENT: 'a folder on the way cannot be created',
  };
  const reason = code !== undefined && what[code] ? `${what[code]} (${code}${path ? ` at ${path}` : ''})` : (error as Error).message;
  return reason;
}
