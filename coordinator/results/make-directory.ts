import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * `mkdir -p` that always settles. Node's own `mkdir(path, { recursive: true })` never settles when
 * the parent exists but refuses the new entry with ENOENT (a path under /proc, say), which left
 * `export --output` hanging and deaf to SIGTERM; this walks up only while parents are missing and
 * rethrows the refusal with its reason.
 */
export async function makeDirectory(path: string): Promise<void> {
  try {
    await mkdir(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && (await stat(path)).isDirectory()) return;
    const parent = dirname(path);
    if (code !== 'ENOENT' || parent === path || (await exists(parent))) throw error;
    await makeDirectory(parent);
    await mkdir(path);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
