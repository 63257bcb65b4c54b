import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** SQL lives in sql/, one statement or function per file, loaded by name ("strategies/current"). */

const SQL_ROOT = fileURLToPath(new URL('../sql/', import.meta.url));
const cache = new Map<string, string>();

export function loadSql(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(`${SQL_ROOT}${name}.sql`, 'utf8');
    cache.set(name, text);
  }
  return text;
}
