import { Type, TypeGuard, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError, type ValueErrorIterator } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';

/**
 * Every contract that crosses a process boundary (jobs, events, worker announcements, the run meta
 * in Redis, run.json) is declared once as a TypeBox schema: its TypeScript type is derived from it
 * (`Contract<typeof X>`) and its validator compiled from it. A refused value gets one line naming
 * the field, saying what was expected and quoting what was found:
 * `job.workload.scenario.refsMin: expected an integer from 1 to 100000, got 0`.
 */

/** T with every property and element readonly, all the way down: contracts are read, never changed. */
export type Immutable<T> = T extends readonly (infer E)[]
  ? readonly Immutable<E>[]
  : T extends object
    ? { readonly [K in keyof T]: Immutable<T[K]> }
    : T;

/** The type a schema declares. */
export type Contract<S extends TSchema> = Immutable<Static<S>>;

/** An integer of at least 0 (counts, ids, indexes). */
export const Count = (): ReturnType<typeof Type.Integer> => Type.Integer({ minimum: 0 });

/** A JSON number (any finite value). */
export const Finite = (): ReturnType<typeof Type.Number> => Type.Number();

/**
 * An object whose keys match `keyPattern` (described for errors as `keys`), each holding a `value`;
 * any other key is refused.
 */
export function KeyedRecord<V extends TSchema>(keys: string, keyPattern: string, value: V) {
  return Type.Record(Type.String({ pattern: keyPattern }), value, { additionalProperties: false, keys });
}

export interface CompiledContract<S extends TSchema> {
  readonly schema: S;
  conforms(value: unknown): value is Contract<S>;
  /** undefined when the value conforms, else one line: `path: expected …, got …` (path under `root`). */
  problem(value: unknown, root?: string): string | undefined;
  /** A copy of a conforming value without the properties the schema does not declare (a newer sender may add some). */
  clean(value: unknown): Contract<S>;
  /** As clean, but strips the value itself instead of a copy: for a value nobody else holds (just parsed from JSON). */
  cleanOwned(value: unknown): Contract<S>;
}

/**
 * The variants of a union of objects told apart by a literal `type` property, by that type; undefined
 * for any other schema. Value.Clean tries a union's variants one after the other, each with a full
 * (uncompiled) check of the value: for a worker's merged interval, 500 session parts checked again
 * after the compiled check has passed. Cleaning with the value's own variant visits it once.
 */
function variantsByType(schema: TSchema): Map<unknown, TSchema> | undefined {
  if (!TypeGuard.IsUnion(schema)) return undefined;
  const byType = new Map<unknown, TSchema>();
  for (const variant of schema.anyOf) {
    const type: unknown = TypeGuard.IsObject(variant) ? variant.properties['type'] : undefined;
    if (!TypeGuard.IsLiteral(type) || byType.has(type.const)) return undefined;
    byType.set(type.const, variant);
  }
  return byType;
}

export function compileContract<S extends TSchema>(schema: S): CompiledContract<S> {
  const check: TypeCheck<S> = TypeCompiler.Compile(schema);
  const byType = variantsByType(schema);
  const strip = (value: unknown): Contract<S> => {
    const type = byType && typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
    return Value.Clean(byType?.get(type) ?? schema, value) as Contract<S>;
  };
  return {
    schema,
    conforms(value): value is Contract<S> {
      return check.Check(value);
    },
    problem(value, root = '') {
      if (check.Check(value)) return undefined;
      const error = firstOf(check.Errors(value));
      return error === undefined ? `${root || 'value'}: does not match its schema` : describeError(error, root);
    },
    clean(value) {
      return strip(Value.Clone(value));
    },
    cleanOwned(value) {
      return strip(value);
    },
  };
}

/** `root.a.b[3]` from the JSON pointer `/a/b/3`. */
export function fieldPath(root: string, pointer: string): string {
  let path = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    path += /^\d+$/.test(key) ? `[${key}]` : path === '' ? key : `.${key}`;
  }
  return path === '' ? 'value' : path;
}

/** A value as an error message quotes it: numbers bare, everything else as JSON, long values cut. */
export function quote(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return String(value);
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/** "an integer from 1 to 100", "a non-empty string", "closed|open", … from the schema's own keywords. */
export function expectedText(schema: TSchema): string {
  if (typeof schema.description === 'string') return schema.description;
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.anyOf)) {
    const variants = schema.anyOf as TSchema[];
    if (variants.every((v) => 'const' in v)) return variants.map((v) => String(v.const)).join('|');
    return [...new Set(variants.map(expectedText))].join(' or ');
  }
  switch (schema.type) {
    case 'integer':
    case 'number':
      return numberText(schema);
    case 'string':
      return stringText(schema);
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    case 'array':
      return schema.items ? `an array of ${plural(expectedText(schema.items as TSchema))}` : 'an array';
    case 'object':
      return 'an object';
    default:
      return 'a valid value';
  }
}

function numberText(schema: TSchema): string {
  const kind = schema.type === 'integer' ? 'an integer' : 'a number';
  const min = schema.minimum as number | undefined;
  const above = schema.exclusiveMinimum as number | undefined;
  const max = schema.maximum as number | undefined;
  const lower = above !== undefined ? `above ${above}` : min !== undefined ? `of at least ${min}` : '';
  if (max === undefined) return lower === '' ? kind : `${kind} ${lower}`;
  if (min !== undefined) return `${kind} from ${min} to ${max}`;
  return lower === '' ? `${kind} of at most ${max}` : `${kind} ${lower} and at most ${max}`;
}

function stringText(schema: TSchema): string {
  const base = schema.minLength === 1 ? 'a non-empty string' : 'a string';
  if (typeof schema.maxLength === 'number') return `${base} of at most ${schema.maxLength} characters`;
  if (typeof schema.pattern === 'string') return `${base} matching /${schema.pattern}/`;
  return base;
}

/** "an integer of at least 0" → "integers of at least 0", for "an array of …". */
function plural(text: string): string {
  const match = /^an? (\w+)(.*)$/.exec(text);
  return match ? `${match[1]}s${match[2]}` : text;
}

function describeError(error: ValueError, root: string): string {
  if (error.type === ValueErrorType.Union) return describeUnionError(error, root);
  if (error.type === ValueErrorType.ObjectAdditionalProperties) {
    const at = error.path.lastIndexOf('/');
    const key = error.path.slice(at + 1).replaceAll('~1', '/').replaceAll('~0', '~');
    const keys = typeof (error.schema.keys as unknown) === 'string' ? ` (keys are ${String(error.schema.keys)})` : '';
    return `${fieldPath(root, error.path.slice(0, at))}: unexpected key ${quote(key)}${keys}`;
  }
  return `${fieldPath(root, error.path)}: expected ${expectedText(error.schema)}, got ${quote(error.value)}`;
}

/**
 * A union of objects told apart by a literal field (`mode`, `type`): the error of the variant the
 * value names, or, when it names none, what that field may hold.
 */
function describeUnionError(error: ValueError, root: string): string {
  const variants = (error.schema.anyOf ?? []) as TSchema[];
  const value: unknown = error.value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && variants.length > 0 && variants.every((v) => v.type === 'object')) {
    const fields = value as Readonly<Record<string, unknown>>;
    const discriminant = discriminantOf(variants);
    if (discriminant !== undefined) {
      const [key, literals] = discriminant;
      const named = literals.indexOf(fields[key]);
      const nested = named >= 0 ? firstOf(error.errors[named]) : undefined;
      if (nested !== undefined) return describeError(nested, root);
      if (named < 0) return `${fieldPath(root, `${error.path}/${key}`)}: expected ${literals.join('|')}, got ${quote(fields[key])}`;
    }
  }
  return `${fieldPath(root, error.path)}: expected ${expectedText(error.schema)}, got ${quote(value)}`;
}

/** The field every variant fixes to a value of its own (`type`, `mode`), with those values. */
function discriminantOf(variants: readonly TSchema[]): [string, unknown[]] | undefined {
  for (const [key] of literalFields(variants[0])) {
    const literals = variants.map((v) => literalFields(v).find(([k]) => k === key)?.[1]);
    if (literals.every((l) => l !== undefined) && new Set(literals).size === variants.length) return [key, literals];
  }
  return undefined;
}

function literalFields(schema: TSchema): [string, unknown][] {
  const properties = (schema.properties ?? {}) as Readonly<Record<string, TSchema>>;
  return Object.entries(properties)
    .filter(([, property]) => 'const' in property)
    .map(([key, property]) => [key, property.const]);
}

function firstOf(errors: ValueErrorIterator): ValueError | undefined {
  return errors.First();
}
