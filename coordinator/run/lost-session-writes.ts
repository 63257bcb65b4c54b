import type { OperationStreamParams } from '../../shared/workload/contracts.ts';
import { createOperationStream } from '../../shared/workload/operation-stream.ts';

/**
 * What a lost session may have written after its last interval event, which nobody heard of
 * (docs/architecture.md#integrity-check). Its operations are a pure function of its stream's
 * parameters, so they can be drawn again: from the one that may have been in flight when it sent
 * that event (`drawn` − 1) on, for as many as it could have drawn before it died. A session sends an
 * event at every interval boundary, so it died less than about one interval after its last one;
 * twice the most operations any session drew in an interval, plus some slack, covers that with room
 * for an event that was published but never reached Redis.
 */

export const LOOKAHEAD_SLACK = 16;

export function lookaheadOperations(maxDrawnPerInterval: number): number {
  return 2 * Math.ceil(maxDrawnPerInterval) + LOOKAHEAD_SLACK;
}

/** Documents rewritten by operations [from, from + count) of the stream `params` describes. */
export function documentsOfOperations(params: OperationStreamParams, from: number, count: number): Set<number> {
  const stream = createOperationStream(params);
  for (let n = 0; n < from; n++) stream.next();
  const documents = new Set<number>();
  for (let n = 0; n < count; n++) {
    const operation = stream.next();
    if (operation.kind === 'rewrite') for (const d of operation.documents) documents.add(d.documentId);
  }
  return documents;
}
