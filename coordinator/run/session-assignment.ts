/**
 * Which worker runs which session: sessions dealt round-robin over the workers (in the order given),
 * skipping a worker once its capacity is used, so the load spreads as evenly as capacity allows and
 * consecutive session ids land on different workers.
 */

export interface WorkerSlots {
  readonly id: string;
  readonly capacity: number;
}

export interface SessionAssignment {
  /** bySession[s] = id of the worker that runs session s. */
  readonly bySession: readonly string[];
  /** Worker id → its sessions in ascending order; only workers that got at least one. */
  readonly byWorker: ReadonlyMap<string, readonly number[]>;
}

export function totalCapacity(workers: readonly WorkerSlots[]): number {
  return workers.reduce((sum, w) => sum + Math.max(0, w.capacity), 0);
}

/** Throws RangeError when the workers' capacity is below the session count (callers check first). */
export function assignSessions(sessions: number, workers: readonly WorkerSlots[]): SessionAssignment {
  const capacity = totalCapacity(workers);
  if (capacity < sessions) throw new RangeError(`${sessions} sessions need more than the ${capacity} slots of ${workers.length} workers`);
  const used = workers.map(() => 0);
  const bySession: string[] = [];
  const byWorker = new Map<string, number[]>();
  let next = 0;
  for (let s = 0; s < sessions; s++) {
    while (used[next] >= workers[next].capacity) next = (next + 1) % workers.length;
    const worker = workers[next];
    used[next]++;
    bySession.push(worker.id);
    const list = byWorker.get(worker.id);
    if (list) list.push(s);
    else byWorker.set(worker.id, [s]);
    next = (next + 1) % workers.length;
  }
  return { bySession, byWorker };
}
