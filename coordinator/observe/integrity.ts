import type pg from 'pg';
import type { DatasetIndex, ReferenceSetOptions } from '../../shared/dataset.ts';
import { datasetIndex } from '../../shared/dataset.ts';
import { withPg } from '../../shared/pg-connect.ts';
import { isWriteScenario } from '../../shared/run-config.ts';
import type { IntegrityDiagnosis, IntegrityExample, IntegritySection } from '../results/run-report-sections.ts';
import type { SchemaLayout } from '../../shared/schema-layout.ts';
import { loadSql } from '../../shared/sql.ts';
import { aliasSetDigest, digestCount, type ReferenceSetDigest } from '../../shared/workload/reference-set-digest.ts';
import { heldDigest, type ReferenceSetSumsRow } from '../../shared/workload/reference-set-sums.ts';
import { classifyReadBacks } from './observed-writes.ts';
import { judgeHeldSet, type DocumentExpectation } from './reference-set-judgement.ts';
import type { RunObserver } from './run-observers.ts';

/**
 * The integrity check (docs/architecture.md#integrity-check): every document the run touched must
 * hold exactly one of the reference sets committed to it, or its dataset set when nothing was
 * committed to it (the distinct set when the dataset was loaded with --distinct-pairs). The sets
 * are compared as multiset digests (shared/workload/reference-set-digest.ts), computed server-side
 * from the Reference rows, so the check moves four numbers per document, not the rows. On
 * --schema alias-id the digest is over the referential ids the rows' AliasIds resolve to through
 * Alias: the same digest as on referential-id. A document a lost session may have rewritten after
 * its last interval event (`uncertain`) that holds no known set is counted as unknown, not as a
 * violation: what that session committed never arrived.
 */

const SUMS_SQL: Readonly<Record<SchemaLayout, string>> = {
  'referential-id': 'integrity/reference-set-sums',
  'alias-id': 'integrity/reference-set-sums-alias-id',
};

export type { IntegrityDiagnosis, IntegrityExample } from '../results/run-report-sections.ts';
export type { DocumentExpectation } from './reference-set-judgement.ts';

export const MAX_EXAMPLES = 10;
const DOCUMENTS_PER_QUERY = 5000;

/** undefined when the document holds an acceptable set; otherwise what it holds instead. */
export function judgeDocument(found: ReferenceSetDigest, expected: DocumentExpectation): IntegrityDiagnosis | undefined {
  return judgeHeldSet(found, expected)?.diagnosis;
}

export async function checkIntegrity(
  client: pg.Client,
  index: DatasetIndex,
  committed: ReadonlyMap<number, ReadonlySet<ReferenceSetDigest>>,
  touched: ReadonlySet<number>,
  referenceSets: ReferenceSetOptions = {},
  schema: SchemaLayout = 'referential-id',
  uncertain: ReadonlySet<number> = new Set(),
): Promise<IntegritySection> {
  const documents = [...new Set([...touched, ...committed.keys()])].sort((a, b) => a - b);
  let violations = 0;
  let unknown = 0;
  const examples: IntegrityExample[] = [];
  const unknownExamples: IntegrityExample[] = [];
  for (let start = 0; start < documents.length; start += DOCUMENTS_PER_QUERY) {
    const chunk = documents.slice(start, start + DOCUMENTS_PER_QUERY);
    for (const [documentId, found] of await heldDigests(client, index, chunk, schema)) {
      const expected: DocumentExpectation = {
        committed: committed.get(documentId) ?? new Set(),
        dataset: aliasSetDigest(index, index.datasetReferences(documentId, referenceSets)),
      };
      const judged = judgeDocument(found, expected);
      if (judged === undefined) continue;
      const isUnknown = uncertain.has(documentId);
      const diagnosis: IntegrityDiagnosis = isUnknown ? 'unknown (lost session)' : judged;
      if (isUnknown) unknown++;
      else violations++;
      const list = isUnknown ? unknownExamples : examples;
      if (list.length < MAX_EXAMPLES) {
        const sets = expected.committed.size > 0 ? [...expected.committed] : [expected.dataset];
        list.push({
          documentId,
          diagnosis,
          rows: digestCount(found),
          expectedRows: sets.map(digestCount),
          committedSets: expected.committed.size,
        });
      }
    }
  }
  return { documentsChecked: documents.length, violations, examples, ...(uncertain.size > 0 ? { unknown, unknownExamples } : {}) };
}

/** What each document holds, digested server-side (documents without references hold the empty set). */
export async function heldDigests(
  client: pg.Client,
  index: DatasetIndex,
  documents: readonly number[],
  schema: SchemaLayout = 'referential-id',
): Promise<Map<number, ReferenceSetDigest>> {
  const keys = documents.map((id) => index.documentPartitionKeys[id]);
  const { rows } = await client.query<ReferenceSetSumsRow>(loadSql(SUMS_SQL[schema]), [documents, keys]);
  return new Map(rows.map(heldDigest));
}

/** The run observer: checks after every write run unless the run was started with --no-integrity. */
export function integrityObserver(): RunObserver {
  return {
    name: 'integrity',
    async afterRun(context, outcome) {
      if (!context.config.integrityCheck || !isWriteScenario(context.config.workload.scenario.scenario)) return {};
      const index = datasetIndex(context.dataset);
      const referenceSets = { distinctPairs: context.distinctPairs === true };
      const integrity = await withPg(context.databaseUrl, (client) =>
        checkIntegrity(
          client,
          index,
          outcome.committed,
          outcome.touched,
          referenceSets,
          context.schema,
          outcome.uncertain,
        ),
      );
      if (outcome.readBacks === undefined) return { integrity };
      const datasetDigest = (documentId: number) => aliasSetDigest(index, index.datasetReferences(documentId, referenceSets));
      return { integrity: { ...integrity, observed: classifyReadBacks(outcome.readBacks, datasetDigest, outcome.uncertain) } };
    },
  };
}
