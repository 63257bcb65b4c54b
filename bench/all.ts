/**
 * npm run bench: every benchmark, one after the other (they must not share the machine's two cores).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

for (const name of ['load', 'run', 'restore']) {
  const script = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  process.stdout.write(`\n== bench:${name}\n`);
  const result = spawnSync(process.execPath, ['--import=tsx', script], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
