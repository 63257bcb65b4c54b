import { orderedPhases } from '../../shared/phases.ts';
import type { LockWaitSection, StatementWaits } from '../results/run-report-sections.ts';

/**
 * The in-server wait profile (docs/architecture.md#observability): pg_wait_sampling samples every
 * backend every 10 ms (pg_wait_sampling.profile_period) and adds each sample to a cumulative count
 * per backend, wait event and top-level statement. A run's profile is the difference between two
 * readings of its backends' counts, taken at the start and the end. Pure: rows in, sections out.
 */

/** One row of pg_wait_sampling_profile (sql/observability/wait-sampling-profile.sql). */
export interface ProfileRow {
  readonly pid: number;
  readonly event_type: string | null;
  readonly event: string | null;
  /** '0' when the backend ran no statement with a query id (idle, or outside any statement). */
  readonly queryid: string;
  readonly count: number;
}

/** A count of the run: one backend, one category, one statement. */
export interface ProfileCell {
  readonly category: string;
  readonly queryid: string;
  readonly samples: number;
}

/** Categories as the client sampler names them: "CPU" without a wait event, else "type:event". */
export function waitCategory(row: Pick<ProfileRow, 'event_type' | 'event'>): string {
  return row.event_type === null ? 'CPU' : `${row.event_type}:${row.event ?? 'unknown'}`;
}

const keyOf = (row: ProfileRow): string => `${row.pid}\u0000${waitCategory(row)}\u0000${row.queryid}`;

/**
 * What the run added to the profile: after minus before, cell by cell. A cell lower than before (the
 * profile was reset meanwhile) counts from zero.
 */
export function profileDelta(before: readonly ProfileRow[], after: readonly ProfileRow[]): ProfileCell[] {
  const start = new Map<string, number>();
  for (const row of before) start.set(keyOf(row), (start.get(keyOf(row)) ?? 0) + row.count);
  const cells = new Map<string, { category: string; queryid: string; samples: number }>();
  for (const row of after) {
    const key = keyOf(row);
    const cell = cells.get(key) ?? { category: waitCategory(row), queryid: row.queryid, samples: 0 };
    cell.samples += row.count;
    cells.set(key, cell);
  }
  const delta: ProfileCell[] = [];
  for (const [key, cell] of cells) {
    const previous = start.get(key) ?? 0;
    const samples = cell.samples >= previous ? cell.samples - previous : cell.samples;
    if (samples > 0) delta.push({ ...cell, samples });
  }
  return delta;
}

export interface InServerProfile {
  readonly sessionSamples: number;
  readonly byEvent: Record<string, number>;
  readonly shares: Record<string, number>;
  /** Per top-level statement (largest first, at most `top`): what its samples waited on. */
  readonly statements: StatementWaits[];
  /** Per phase (shared/phases.ts) of the statements that belong to one: samples per category. */
  readonly byPhase: Record<string, Record<string, number>>;
}

/**
 * Sums the cells per category, per statement and per phase; `texts` maps a queryid to its
 * pg_stat_statements text, `phaseOf` a text to its phase (statement-phase.ts).
 */
export function inServerProfile(
  cells: readonly ProfileCell[],
  texts: ReadonlyMap<string, string>,
  top: number,
  phaseOf: (query: string) => string | undefined = () => undefined,
): InServerProfile {
  let sessionSamples = 0;
  const byEvent: Record<string, number> = {};
  const byStatement = new Map<string, { samples: number; byEvent: Record<string, number> }>();
  for (const cell of cells) {
    sessionSamples += cell.samples;
    byEvent[cell.category] = (byEvent[cell.category] ?? 0) + cell.samples;
    if (cell.queryid === '0') continue;
    let statement = byStatement.get(cell.queryid);
    if (!statement) byStatement.set(cell.queryid, (statement = { samples: 0, byEvent: {} }));
    statement.samples += cell.samples;
    statement.byEvent[cell.category] = (statement.byEvent[cell.category] ?? 0) + cell.samples;
  }
  const byPhase: Record<string, Record<string, number>> = {};
  const phases = new Map<string, string | undefined>();
  for (const queryid of byStatement.keys()) phases.set(queryid, texts.has(queryid) ? phaseOf(texts.get(queryid)!) : undefined);
  for (const [queryid, statement] of byStatement) {
    const phase = phases.get(queryid);
    if (phase === undefined) continue;
    const events = (byPhase[phase] ??= {});
    for (const [category, n] of Object.entries(statement.byEvent)) events[category] = (events[category] ?? 0) + n;
  }
  const sorted = Object.fromEntries(Object.entries(byEvent).sort(([, a], [, b]) => b - a));
  const shares = Object.fromEntries(Object.entries(sorted).map(([category, n]) => [category, n / sessionSamples]));
  const statements = [...byStatement]
    .sort(([, a], [, b]) => b.samples - a.samples)
    .slice(0, top)
    .map(([queryid, s]) => ({
      queryid,
      ...(texts.has(queryid) && { query: texts.get(queryid)! }),
      ...(phases.get(queryid) !== undefined && { phase: phases.get(queryid)! }),
      samples: s.samples,
      byEvent: Object.fromEntries(Object.entries(s.byEvent).sort(([, a], [, b]) => b - a)),
    }));
  return { sessionSamples, byEvent: sorted, shares, statements, byPhase: Object.fromEntries(orderedPhases(byPhase)) };
}

/**
 * The client sampler's section with its source named: pg_wait_sampling's profile in place of the
 * client's counts when there is one (the client's kept under clientSampler), else why not.
 */
export function withWaitSource(
  section: LockWaitSection,
  inServer: { readonly profile: InServerProfile; readonly periodMs?: number } | { readonly absent: string },
): LockWaitSection {
  if ('absent' in inServer) return { ...section, source: 'client-sampler', sourceNote: inServer.absent };
  const { profile, periodMs } = inServer;
  return {
    ...section,
    source: 'pg_wait_sampling',
    ...(periodMs !== undefined && { periodMs }),
    sessionSamples: profile.sessionSamples,
    byEvent: profile.byEvent,
    shares: profile.shares,
    clientSampler: { sessionSamples: section.sessionSamples, byEvent: section.byEvent },
    statements: profile.statements,
    ...(Object.keys(profile.byPhase).length > 0 && { byPhase: profile.byPhase }),
  };
}
