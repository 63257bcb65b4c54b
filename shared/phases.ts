/**
 * The phases of an operation (docs/architecture.md#measurement): the steps of its successful try,
 * each timed apart into its own histogram. A small fixed vocabulary, in the order reports list it:
 * - `lock`, `update`, `strategy`, `commit`: a rewrite in the dms shape — BEGIN and the
 *   FOR NO KEY UPDATE lock of the parent documents, their update, the strategy calls (one per parent
 *   document, summed), COMMIT;
 * - `call`: a rewrite in the bare shape — the strategy call (a batch's one call; upsert's calls and
 *   their transaction when it takes several);
 * - `read`: a read (mixed), its one statement.
 * So in mixed, reads (`read`) and writes (`call`, or the dms phases) are apart. noop has no phase.
 * Only ok operations record phases, each phase of its kind once: `lock` (or `call`, or `read`)
 * counts the ok operations of that kind.
 */
export const PHASE_NAMES = ['lock', 'update', 'strategy', 'commit', 'call', 'read'] as const;
export type PhaseName = (typeof PHASE_NAMES)[number];

/** What a phase name may look like in a contract (a newer version may add names). */
export const PHASE_NAME_PATTERN = '^[a-z][a-z0-9-]{0,31}$';

/** Index of each phase in PHASE_NAMES: the hot path records by number into preallocated slots. */
export const PHASE = {
  lock: 0,
  update: 1,
  strategy: 2,
  commit: 3,
  call: 4,
  read: 5,
} as const satisfies Readonly<Record<PhaseName, number>>;
export type PhaseIndex = (typeof PHASE)[PhaseName];

/** The phases of a record, in the vocabulary's order (unknown names, from a newer version, last). */
export function orderedPhases<T>(phases: Readonly<Record<string, T>>): Array<[string, T]> {
  const rank = (name: string): number => {
    const at = (PHASE_NAMES as readonly string[]).indexOf(name);
    return at < 0 ? PHASE_NAMES.length : at;
  };
  return Object.entries(phases).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}
