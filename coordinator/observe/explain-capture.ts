import type pg from 'pg';
import type { DatasetIndex } from '../../shared/dataset.ts';
import type { SharedClock } from '../../shared/redis-clock.ts';
import type { WorkloadConfig } from '../../shared/run-config.ts';
import { loadSql } from '../../shared/sql.ts';
import { securityElementsJson, updatedEdfiDocJson } from '../../shared/workload/document-body.ts';
import type { DocumentRewrite } from '../../shared/workload/operation.ts';
import { parentArguments, strategyArguments } from '../../shared/workload/strategy-arguments.ts';
import type { ExplainCapture, ExplainPlan } from '../results/run-report-sections.ts';
import { groupPlans, parseAutoExplainNotice, statementLabel, summarizePlan } from './explain-plan.ts';

/**
 * One rewrite as the run's shape runs it (worker/operation-executor.ts), each statement under
 * EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON), in one transaction that is always rolled back: the
 * database is left as it was. A plpgsql strategy shows as one Function Scan; the statements inside
 * it come from auto_explain (loaded for this session, settings local to the transaction), whose
 * plans arrive as NOTICEs. Where auto_explain cannot be loaded, `missing` says why.
 */

/** EXPLAIN's options; the statement follows on the next line (its header comment is whitespace to the parser). */
const EXPLAIN = 'EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)\n';
const TRACE_ID = 'refswarm-explain';

export interface ExplainResult {
  readonly capture: ExplainCapture;
  readonly missing: Readonly<Record<string, string>>;
}

export async function captureExplain(
  client: pg.Client,
  documents: readonly DocumentRewrite[],
  workload: Pick<WorkloadConfig, 'strategy' | 'shape'>,
  index: DatasetIndex,
  clock: Pick<SharedClock, 'now'>,
): Promise<ExplainResult> {
  const missing: Record<string, string> = {};
  const notices: { durationMs: number; json: Readonly<Record<string, unknown>> }[] = [];
  const onNotice = (notice: { message?: string }): void => {
    const parsed = notice.message === undefined ? undefined : parseAutoExplainNotice(notice.message);
    if (parsed) notices.push(parsed);
  };
  const takenAt = new Date(clock.now()).toISOString();
  const plans: ExplainPlan[] = [];
  const explain = async (name: string, values: readonly unknown[]): Promise<void> => {
    const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(EXPLAIN + loadSql(name), values as unknown[]);
    plans.push(summarizePlan(name, rows[0]['QUERY PLAN']));
  };

  client.on('notice', onNotice);
  await client.query('BEGIN');
  try {
    const nestedWanted = await loadAutoExplain(client, missing);
    const args = strategyArguments(index, documents);
    if (workload.shape === 'dms') {
      await explain('workload/lock-documents', [args.documentIds, args.documentPartitionKeys]);
      await explain('workload/update-documents', [
        args.documentIds,
        args.documentPartitionKeys,
        documents.map((d) => updatedEdfiDocJson(index, d.documentId)),
        documents.map((d) => securityElementsJson(d.documentId)),
        TRACE_ID,
      ]);
    }
    notices.length = 0;
    if (nestedWanted) await client.query(loadSql('observability/auto-explain-settings'));
    await explain(`workload/call-${workload.strategy}`, strategyCallValues(workload, documents, index));
    const nested = groupPlans(
      notices
        .filter((n) => !/^\s*EXPLAIN\b/i.test(String(n.json['Query Text'] ?? '')))
        .map((n) => summarizePlan(statementLabel(n.json['Query Text']), n.json, n.durationMs)),
    );
    if (nestedWanted && nested.length === 0) missing['nested plans'] = 'auto_explain sent no plan for the statements inside the strategy function';
    return { capture: { takenAt, plans, nested }, missing };
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.off('notice', onNotice);
  }
}

/**
 * The strategy call's parameters. The dms shape calls the strategy once per parent document, and
 * upsert takes one parent per call in either shape: there the first document's call stands for the others.
 */
function strategyCallValues(workload: Pick<WorkloadConfig, 'strategy' | 'shape'>, documents: readonly DocumentRewrite[], index: DatasetIndex): unknown[] {
  if (workload.strategy === 'upsert') {
    const [parent] = parentArguments(index, documents.slice(0, 1));
    return [parent.parentDocumentId, parent.parentDocumentPartitionKey, parent.referentialIds, parent.referentialPartitionKeys, false];
  }
  const call = strategyArguments(index, workload.shape === 'dms' ? documents.slice(0, 1) : documents);
  return [call.parentDocumentIds, call.parentDocumentPartitionKeys, call.referentialIds, call.referentialPartitionKeys];
}

/** LOAD auto_explain under a savepoint (a refusal must not abort the transaction); false with the reason in `missing`. */
async function loadAutoExplain(client: pg.Client, missing: Record<string, string>): Promise<boolean> {
  await client.query('SAVEPOINT refswarm_auto_explain');
  try {
    await client.query(loadSql('observability/auto-explain-load'));
    await client.query('RELEASE SAVEPOINT refswarm_auto_explain');
    return true;
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT refswarm_auto_explain');
    missing['nested plans'] = `auto_explain cannot be loaded (${(error as Error).message}): only the strategy call's own plan is shown`;
    return false;
  }
}
