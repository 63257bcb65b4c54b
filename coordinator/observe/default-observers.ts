import type { RunConfig } from '../../shared/run-config.ts';
import { explainObservers } from './explain-observer.ts';
import { integrityObserver } from './integrity.ts';
import { lockWaitObserver } from './lock-wait-observer.ts';
import { pgStatsObserver } from './pg-stats-observer.ts';
import { restoreObserver } from '../restore/restore-observer.ts';
import type { RunObserver } from './run-observers.ts';

/**
 * The observers every run gets (statistics snapshots, lock-wait sampler, integrity check), in the
 * order they are called. Each observer decides from the config whether it has work to do.
 */
export function defaultObservers(config: RunConfig): RunObserver[] {
  const explain = config.explain ? explainObservers() : undefined;
  return [
    ...(explain ? [explain.before] : []), // --explain: its EXPLAIN ANALYZE ahead of the "before" snapshot
    lockWaitObserver(), // first to stop sampling when the sessions end
    pgStatsObserver(), // its "after" snapshot waits for the sessions to disconnect
    integrityObserver(), // reads the documents as the sessions left them: before any restore
    ...(explain ? [explain.after] : []), // behind the "after" snapshot and the integrity check (rolled back either way)
    restoreObserver(), // --restore-after: keep last, after every observer that reads the run's own state
  ];
}
