import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { makeDirectory } from './make-directory.ts';

/**
 * Writes `content` (text, or chunks streamed with backpressure) to `path` through a temporary
 * `path.partial` renamed at the end, creating the parent folder: readers never see a half file, and
 * a failed or interrupted write (an error thrown by the chunks included) leaves none behind.
 */
export async function writeAtomically(path: string, content: string | Iterable<Buffer>): Promise<void> {
  await makeDirectory(dirname(path));
  const temporary = `${path}.partial`;
  const out = createWriteStream(temporary);
  try {
    for (const chunk of typeof content === 'string' ? [content] : content) {
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    await rename(temporary, path);
  } catch (error) {
    out.destroy();
    await rm(temporary, { force: true });
    throw error;
  }
}
