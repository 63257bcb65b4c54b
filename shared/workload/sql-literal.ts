/**
 * Statement parameters written as SQL literals, for `EXECUTE name(…)` (worker/tagged-statements.ts):
 * numbers and booleans as they are, strings quoted with '' doubled (standard_conforming_strings, on
 * since PostgreSQL 9.1), arrays as an array literal in a quoted string ('{1,2}', '{"a\"b"}'), which
 * takes the prepared statement's parameter type. Pure.
 */

export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as an SQL literal`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'string') return quoted(value);
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return quoted(arrayLiteral(value as ArrayLike<unknown>));
  throw new Error(`cannot write a ${typeof value} as an SQL literal`);
}

function quoted(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function arrayLiteral(values: ArrayLike<unknown>): string {
  const elements: string[] = [];
  for (let i = 0; i < values.length; i++) elements.push(arrayElement(values[i]));
  return `{${elements.join(',')}}`;
}

function arrayElement(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'string') return `"${value.replace(/[\\"]/g, '\\$&')}"`;
  throw new Error(`cannot write a ${typeof value} in an SQL array literal`);
}
