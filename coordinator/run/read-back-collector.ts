import type { WriteReadBack } from '../../shared/protocol/messages.ts';
import type { ReferenceSetDigest } from '../../shared/workload/reference-set-digest.ts';

/**
 * --verify-writes, the coordinator's side of the collection (docs/architecture.md#integrity-check):
 * the sessions' read-back totals added up, the sets they read back that differ from their own
 * (distinct by document and digest across the run: the first session to send one is kept), and who
 * wrote each committed set (session and operation), so that an anomaly can be named after the
 * writes it mixes. Classifying waits until every committed set is known: coordinator/observe/observed-writes.ts.
 */

/** An operation of a session: its position in the session's stream, from 1 (warm-up included). */
export interface SessionOperation {
  readonly sessionId: number;
  readonly operation: number;
}

export interface ReadBackSighting extends SessionOperation {
  readonly documentId: number;
  readonly digest: ReferenceSetDigest;
}

export interface CollectedReadBacks {
  readonly writesChecked: number;
  readonly readBacks: number;
  readonly micros: number;
  readonly failed: number;
  readonly cut: number;
  /** Distinct by document and digest, in arrival order. */
  readonly seen: readonly ReadBackSighting[];
  /** documentId → committed digest → the operations that committed it (first of each session). */
  readonly writers: ReadonlyMap<number, ReadonlyMap<ReferenceSetDigest, readonly SessionOperation[]>>;
}

export class ReadBackCollector {
  private writesChecked = 0;
  private readBacks = 0;
  private micros = 0;
  private failed = 0;
  private cut = 0;
  private readonly seen = new Map<string, ReadBackSighting>();
  private readonly writers = new Map<number, Map<ReferenceSetDigest, SessionOperation[]>>();

  /** One event's share: its read-backs, and its committed sets with the operations that wrote them. */
  add(
    sessionId: number,
    readBack: WriteReadBack | undefined,
    committed: Readonly<Record<string, readonly string[]>> | undefined,
    committedOperations: Readonly<Record<string, readonly number[]>> | undefined,
  ): void {
    for (const [documentId, operations] of Object.entries(committedOperations ?? {})) {
      const digests = committed?.[documentId] ?? [];
      const id = Number(documentId);
      let byDigest = this.writers.get(id);
      if (!byDigest) this.writers.set(id, (byDigest = new Map()));
      digests.forEach((digest, i) => {
        const operation = operations[i];
        if (operation === undefined) return;
        let list = byDigest.get(digest);
        if (!list) byDigest.set(digest, (list = []));
        // The done event repeats what intervals sent: one entry per session and set.
        if (!list.some((w) => w.sessionId === sessionId)) list.push({ sessionId, operation });
      });
    }
    if (!readBack) return;
    this.writesChecked += readBack.writesChecked;
    this.readBacks += readBack.readBacks;
    this.micros += readBack.micros;
    this.failed += readBack.failed ?? 0;
    this.cut += readBack.cut;
    for (const { documentId, digest, operation } of readBack.seen) {
      const key = `${documentId} ${digest}`;
      if (!this.seen.has(key)) this.seen.set(key, { documentId, digest, sessionId, operation });
    }
  }

  result(): CollectedReadBacks {
    return {
      writesChecked: this.writesChecked,
      readBacks: this.readBacks,
      micros: this.micros,
      failed: this.failed,
      cut: this.cut,
      seen: [...this.seen.values()],
      writers: this.writers,
    };
  }
}
