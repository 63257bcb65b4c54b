import { READ_BACK_SEEN_MAX, type WriteReadBack } from '../shared/protocol/messages.ts';
import type { OperationOutcome } from '../shared/workload/contracts.ts';
import type { ReferenceSetDigest } from '../shared/workload/reference-set-digest.ts';

/**
 * A session's share of --verify-writes (docs/architecture.md#integrity-check): what it read back
 * after each of its writes, kept until the next event takes it. A set equal to the one just
 * written is only counted; any other is sent once per (document, digest) for the coordinator to
 * classify — the session cannot tell a later write of another session from an anomaly. At most
 * READ_BACK_SEEN_MAX sets go in one event; the rest are counted in `cut` (and may be sent with a
 * later event when read back again). Invariant: writesChecked = the committed sets of the
 * read-backs that succeeded; every set sent differs from the one its operation committed.
 */
export class WriteVerifier {
  private writesChecked = 0;
  private readBacks = 0;
  private micros = 0;
  private failed = 0;
  private cut = 0;
  private seen: Array<WriteReadBack['seen'][number]> = [];
  /** `${documentId} ${digest}` of every set already sent. */
  private readonly sent = new Set<string>();

  /** One read-back after operation `operation` (its position in the stream, from 1) committed `committed`. */
  record(committed: OperationOutcome['committed'], held: ReadonlyMap<number, ReferenceSetDigest>, operation: number, micros: number): void {
    this.readBacks++;
    this.micros += micros;
    for (const { documentId, setDigest } of committed) {
      const digest = held.get(documentId);
      if (digest === undefined) continue;
      this.writesChecked++;
      if (digest === setDigest) continue;
      const key = `${documentId} ${digest}`;
      if (this.sent.has(key)) continue;
      if (this.seen.length >= READ_BACK_SEEN_MAX) {
        this.cut++;
        continue;
      }
      this.sent.add(key);
      this.seen.push({ documentId, digest, operation });
    }
  }

  /** A read-back that failed with a database error: its operation's writes stay unchecked. */
  recordFailure(micros: number): void {
    this.readBacks++;
    this.micros += micros;
    this.failed++;
  }

  /** What was read back since the previous take, or undefined when nothing was; starts the next batch. */
  take(): WriteReadBack | undefined {
    if (this.readBacks === 0) return undefined;
    const taken: WriteReadBack = {
      writesChecked: this.writesChecked,
      readBacks: this.readBacks,
      micros: this.micros,
      ...(this.failed > 0 && { failed: this.failed }),
      seen: this.seen,
      cut: this.cut,
    };
    this.writesChecked = 0;
    this.readBacks = 0;
    this.micros = 0;
    this.failed = 0;
    this.cut = 0;
    this.seen = [];
    return taken;
  }
}
