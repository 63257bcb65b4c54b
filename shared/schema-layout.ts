import type { StrategyName } from './run-config.ts';

/**
 * The two reference layouts `refswarm setup --schema` can build (docs/architecture.md#schema):
 * - referential-id: DMS before DMS-867 — HASH partitions, Reference stores ReferentialId, the
 *   strategies take four parallel arrays for any number of parents;
 * - alias-id: DMS-867 (DMS commit 2e6561ce7) — LIST partitions (key k in partition k), Reference
 *   stores AliasId, dms.InsertReferences upserts one parent per call.
 * A database holds one layout (the manifest records it); each strategy fits exactly one.
 */

export const SCHEMA_LAYOUTS = ['referential-id', 'alias-id'] as const;
export type SchemaLayout = (typeof SCHEMA_LAYOUTS)[number];

/** A database set up before layouts existed, or a run.json written before: the original layout. */
export const DEFAULT_SCHEMA_LAYOUT: SchemaLayout = 'referential-id';

const STRATEGY_LAYOUT: Readonly<Record<StrategyName, SchemaLayout>> = {
  current: 'referential-id',
  differential: 'referential-id',
  merge: 'referential-id',
  upsert: 'alias-id',
};

export function strategyLayout(strategy: StrategyName): SchemaLayout {
  return STRATEGY_LAYOUT[strategy];
}

export function strategiesFor(layout: SchemaLayout): StrategyName[] {
  return (Object.keys(STRATEGY_LAYOUT) as StrategyName[]).filter((s) => STRATEGY_LAYOUT[s] === layout);
}

/** undefined when `strategy` runs on `layout`; otherwise the refusal, naming both fixes. */
export function strategyLayoutProblem(strategy: StrategyName, layout: SchemaLayout, database: string): string | undefined {
  const needed = strategyLayout(strategy);
  if (needed === layout) return undefined;
  const alternatives = strategiesFor(layout).map((s) => `--strategy ${s}`).join(' or ');
  return (
    `--strategy ${strategy} needs --schema ${needed}, but database "${database}" was set up with --schema ${layout}: ` +
    `run refswarm setup --schema ${needed} --force (then refswarm load), or use ${alternatives}`
  );
}
