import type { IntegrityDiagnosis } from '../results/run-report-sections.ts';
import { digestCount, subtractDigests, type ReferenceSetDigest } from '../../shared/workload/reference-set-digest.ts';

/**
 * What a document's reference set is, against the sets operations committed to it: one of them (or,
 * nothing committed, its dataset set), or an anomaly named after what it is made of. The integrity
 * check judges the final state this way, --verify-writes each state a session read back after its
 * write (docs/architecture.md#integrity-check). Digests are additive
 * (shared/workload/reference-set-digest.ts), so a union is found by subtracting each committed set
 * from what is held and looking the rest up: linear in the committed sets, not quadratic.
 */

/** What one document should hold: the digests committed to it, or else its dataset set. */
export interface DocumentExpectation {
  readonly committed: ReadonlySet<ReferenceSetDigest>;
  readonly dataset: ReferenceSetDigest;
}

export interface Judgement<Diagnosis extends string = Exclude<IntegrityDiagnosis, 'unknown (lost session)'>> {
  readonly diagnosis: Diagnosis;
  /** The sets the held one is the union of (a union diagnosis), the dataset's among them when it is one; else empty. */
  readonly mixed: readonly ReferenceSetDigest[];
}

/** undefined when the document holds an acceptable set; otherwise what it holds instead. */
export function judgeHeldSet(found: ReferenceSetDigest, expected: DocumentExpectation): Judgement | undefined {
  const { committed, dataset } = expected;
  if (committed.size === 0 ? found === dataset : committed.has(found)) return undefined;
  for (const set of committed) {
    const rest = subtractDigests(found, set);
    if (rest !== undefined && rest !== set && committed.has(rest)) return { diagnosis: 'union of two committed sets', mixed: [set, rest] };
  }
  for (const set of committed) {
    if (subtractDigests(found, set) === dataset) return { diagnosis: 'union of the dataset set and a committed set', mixed: [dataset, set] };
  }
  if (committed.size > 0 && found === dataset) return { diagnosis: 'dataset set kept, committed sets lost', mixed: [] };
  if (digestCount(found) === 0) return { diagnosis: 'no references', mixed: [] };
  return { diagnosis: 'matches no committed set', mixed: [] };
}
