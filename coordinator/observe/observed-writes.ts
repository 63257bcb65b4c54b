import type { ObservedAnomaly, ObservedDiagnosis, ObservedWrites } from '../results/run-report-sections.ts';
import type { CollectedReadBacks, SessionOperation } from '../run/read-back-collector.ts';
import { digestCount, subtractDigests, type ReferenceSetDigest } from '../../shared/workload/reference-set-digest.ts';
import { judgeHeldSet, type DocumentExpectation, type Judgement } from './reference-set-judgement.ts';

/**
 * run.json `integrity.observed` (--verify-writes, docs/architecture.md#integrity-check): each state
 * a session read back right after its write, judged against every set any operation committed to
 * that document — known only here, once the run is over — exactly as the final-state check judges
 * (reference-set-judgement.ts). The session's own set was only counted; a set another operation
 * wrote is fine (`otherSets`); anything else is an anomaly, named after the writes it mixes.
 */

export const MAX_OBSERVED_EXAMPLES = 10;
/** Writers listed per mixed set: the same set may have been written by many sessions. */
const MAX_WRITERS = 4;

export function classifyReadBacks(
  collected: CollectedReadBacks,
  datasetDigest: (documentId: number) => ReferenceSetDigest,
  uncertain: ReadonlySet<number> = new Set(),
): ObservedWrites {
  let anomalies = 0;
  let otherSets = 0;
  let unknown = 0;
  const byDiagnosis: Record<string, number> = {};
  // Examples that name the writes they mix come first: they say the most.
  const named: ObservedAnomaly[] = [];
  const others: ObservedAnomaly[] = [];
  const committedSets = new Map<number, ReadonlySet<ReferenceSetDigest>>();
  for (const sighting of collected.seen) {
    const { documentId, digest } = sighting;
    const writers = collected.writers.get(documentId);
    let committed = committedSets.get(documentId);
    if (!committed) committedSets.set(documentId, (committed = new Set(writers?.keys())));
    const dataset = datasetDigest(documentId);
    const judged = judgeObserved(digest, { committed, dataset }, ownSet(writers, sighting));
    if (judged === undefined) {
      otherSets++;
      continue;
    }
    if (uncertain.has(documentId)) {
      unknown++;
      continue;
    }
    anomalies++;
    byDiagnosis[judged.diagnosis] = (byDiagnosis[judged.diagnosis] ?? 0) + 1;
    const list = judged.mixed.length > 0 ? named : others;
    if (list.length >= MAX_OBSERVED_EXAMPLES) continue;
    list.push({
      documentId,
      diagnosis: judged.diagnosis,
      rows: digestCount(digest),
      seenBy: { sessionId: sighting.sessionId, operation: sighting.operation },
      mixed: judged.mixed.map((set) =>
        set === dataset && !committed.has(set)
          ? { set: 'dataset' as const, rows: digestCount(set), writtenBy: [] }
          : { set: 'committed' as const, rows: digestCount(set), writtenBy: listed(writers?.get(set) ?? []) },
      ),
    });
  }
  const { writesChecked, readBacks, micros, failed, cut } = collected;
  return {
    writesChecked,
    anomalies,
    per1000: writesChecked > 0 ? round2((anomalies / writesChecked) * 1000) : 0,
    examples: [...named, ...others].slice(0, MAX_OBSERVED_EXAMPLES),
    byDiagnosis: Object.fromEntries(Object.entries(byDiagnosis).sort(([, a], [, b]) => b - a)),
    otherSets,
    readBacks,
    readBackMicrosTotal: micros,
    readBackMicrosMean: readBacks > 0 ? round2(micros / readBacks) : 0,
    ...(failed > 0 && { failedReadBacks: failed }),
    ...(cut > 0 && { cut }),
    ...(unknown > 0 && { unknown }),
  };
}

/**
 * The final-state judgement, and one step further: a state the final check calls "matches no
 * committed set" may be the reading session's own set plus two others (three writes racing).
 */
function judgeObserved(found: ReferenceSetDigest, expected: DocumentExpectation, own: ReferenceSetDigest | undefined): Judgement<ObservedDiagnosis> | undefined {
  const judged = judgeHeldSet(found, expected);
  if (judged?.diagnosis !== 'matches no committed set' || own === undefined) return judged;
  const rest = subtractDigests(found, own);
  if (rest === undefined) return judged;
  for (const set of expected.committed) {
    const third = subtractDigests(rest, set);
    if (third !== undefined && expected.committed.has(third)) return { diagnosis: 'union of three committed sets', mixed: [own, set, third] };
  }
  return judged;
}

/** The set the reading session's operation committed to the document (absent when it wrote the same set before). */
function ownSet(writers: ReadonlyMap<ReferenceSetDigest, readonly SessionOperation[]> | undefined, seenBy: SessionOperation): ReferenceSetDigest | undefined {
  for (const [digest, list] of writers ?? []) {
    if (list.some((w) => w.sessionId === seenBy.sessionId && w.operation === seenBy.operation)) return digest;
  }
  return undefined;
}

function listed(writers: readonly SessionOperation[]): SessionOperation[] {
  return [...writers]
    .sort((a, b) => a.sessionId - b.sessionId || a.operation - b.operation)
    .slice(0, MAX_WRITERS)
    .map(({ sessionId, operation }) => ({ sessionId, operation }));
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
