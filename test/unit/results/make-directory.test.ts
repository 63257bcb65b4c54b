import test from 'ava';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDirectory } from '../../../coordinator/results/make-directory.ts';

test('creates missing parents, and an existing folder is fine', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'refswarm-mkdir-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  await makeDirectory(join(root, 'a', 'b', 'c'));
  t.true(statSync(join(root, 'a', 'b', 'c')).isDirectory());
  await t.notThrowsAsync(makeDirectory(join(root, 'a')));
  writeFileSync(join(root, 'file'), '');
  await t.throwsAsync(makeDirectory(join(root, 'file')), { code: 'EEXIST' });
  await t.throwsAsync(makeDirectory(join(root, 'file', 'x')), { code: 'ENOTDIR' });
});

test('export --output into a folder that cannot be created spins forever: a parent that refuses the entry is an error', async (t) => {
  // /proc exists but refuses new entries with ENOENT, the case where Node's recursive mkdir never settles.
  await t.throwsAsync(makeDirectory('/proc/refswarm-test/x'), { code: 'ENOENT' });
});
