import { datasetIndex, type DatasetShape } from '../../shared/dataset.ts';
import { withPg } from '../../shared/pg-connect.ts';
import type { RunConfig } from '../../shared/run-config.ts';
import { createOperationStream } from '../../shared/workload/operation-stream.ts';
import type { DocumentRewrite } from '../../shared/workload/operation.ts';
import type { ExplainCapture, ExplainSection } from '../results/run-report-sections.ts';
import { captureExplain } from './explain-capture.ts';
import type { RunObserver, RunObserverContext } from './run-observers.ts';

/**
 * --explain: the plans of one rolled-back operation before and after the run → run.json `explain`.
 * EXPLAIN ANALYZE executes the statements, so the "before" capture runs ahead of the statistics
 * snapshot and the "after" one behind it (and behind the integrity check): neither shows in the
 * run's pg delta. Hence two observers sharing one state, placed apart (default-observers.ts).
 */

/** How far into session 0's stream to look for a rewrite (mixed runs start with reads). */
const SEARCH_OPERATIONS = 1000;

export function explainObservers(): { readonly before: RunObserver; readonly after: RunObserver } {
  let operation: { documents: readonly DocumentRewrite[]; text: string } | undefined;
  let before: ExplainCapture | undefined;
  const missing: Record<string, string> = {};

  const capture = async (context: RunObserverContext, when: 'before' | 'after'): Promise<ExplainCapture | undefined> => {
    if (!operation) return undefined;
    const documents = operation.documents;
    try {
      const result = await withPg(
        context.databaseUrl,
        (client) => captureExplain(client, documents, context.config.workload, datasetIndex(context.dataset), context.clock),
        'refswarm_explain',
      );
      Object.assign(missing, result.missing);
      return result.capture;
    } catch (error) {
      missing[when] = (error as Error).message;
      return undefined;
    }
  };

  return {
    before: {
      name: 'explain-before',
      async beforeRun(context) {
        operation = explainedOperation(context.config, context.dataset);
        if (!operation) missing.operation = 'the run has no rewrite to explain';
        before = await capture(context, 'before');
      },
      afterRun: async () => ({}),
    },
    after: {
      name: 'explain-after',
      async afterRun(context) {
        const after = await capture(context, 'after');
        const section: ExplainSection = {
          operation: operation?.text ?? 'none',
          ...(before && { before }),
          ...(after && { after }),
          missing: { ...missing },
        };
        return { explain: section };
      },
    },
  };
}

/**
 * The first rewrite of session 0's stream without an unknown id (a rejected call shows only the
 * function's exception path): the same operation before and after, one the run itself makes.
 */
export function explainedOperation(config: RunConfig, dataset: DatasetShape): { documents: readonly DocumentRewrite[]; text: string } | undefined {
  const stream = createOperationStream({ seed: config.seed, sessionId: 0, sessionCount: config.sessions, scenario: config.workload.scenario, dataset });
  for (let n = 0; n < SEARCH_OPERATIONS; n++) {
    const op = stream.next();
    if (op.kind !== 'rewrite') {
      if (op.kind === 'noop' || op.kind === 'idle') return undefined;
      continue;
    }
    if (op.documents.some((d) => d.unknownReference)) continue;
    const references = op.documents.reduce((sum, d) => sum + d.aliasIds.length, 0);
    const text =
      op.documents.length === 1
        ? `rewrite of document ${op.documents[0].documentId} (${references} references)`
        : `rewrite of ${op.documents.length} documents (${references} references)`;
    return { documents: op.documents, text };
  }
  return undefined;
}
