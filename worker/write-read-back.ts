import type { DatasetIndex } from '../shared/dataset.ts';
import type { WorkloadConfig } from '../shared/run-config.ts';
import { strategyLayout, type SchemaLayout } from '../shared/schema-layout.ts';
import { loadSql } from '../shared/sql.ts';
import { CONNECTION, failureCode } from '../shared/sqlstate.ts';
import type { SessionDb } from '../shared/workload/contracts.ts';
import type { ReferenceSetDigest } from '../shared/workload/reference-set-digest.ts';
import { heldDigest, type ReferenceSetSumsRow } from '../shared/workload/reference-set-sums.ts';

/**
 * --verify-writes: the reference sets the given documents hold right now, digested server-side in
 * one statement — the integrity check's own statement (sql/integrity/), so that a read-back and the
 * final check compare the same digest. Runs on the session's connection after the operation ended:
 * after the strategy call in the bare shape, after COMMIT in the dms shape. A database error makes it
 * undefined (a lost connection is re-opened first, as the executor does); any other error propagates.
 */
export async function readBackDigests(
  db: SessionDb,
  documentIds: readonly number[],
  workload: WorkloadConfig,
  index: DatasetIndex,
): Promise<Map<number, ReferenceSetDigest> | undefined> {
  const statement = STATEMENTS[strategyLayout(workload.strategy)];
  const keys = documentIds.map((id) => index.documentPartitionKeys[id]);
  try {
    const { rows } = await db.query<ReferenceSetSumsRow>(statement.text, [documentIds, keys], statement.name);
    return new Map(rows.map(heldDigest));
  } catch (error) {
    const code = failureCode(error);
    if (code === undefined) throw error;
    if (code === CONNECTION) await db.reconnect();
    return undefined;
  }
}

const STATEMENTS: Readonly<Record<SchemaLayout, { readonly name: string; readonly text: string }>> = {
  'referential-id': { name: 'refswarm_read_back', text: loadSql('integrity/reference-set-sums') },
  'alias-id': { name: 'refswarm_read_back_alias_id', text: loadSql('integrity/reference-set-sums-alias-id') },
};
