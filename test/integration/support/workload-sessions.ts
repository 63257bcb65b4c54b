import type pg from 'pg';
import type { DatasetShape } from '../../../shared/dataset.ts';
import type { ScenarioOptions, WorkloadConfig } from '../../../shared/run-config.ts';
import type { OperationOutcome } from '../../../shared/workload/contracts.ts';
import { createOperationStream } from '../../../shared/workload/operation-stream.ts';
import { executeOperation } from '../../../worker/operation-executor.ts';
import { sessionDbOf, type WorkloadDatabase } from './workload-database.ts';

/**
 * Several sessions running the workload model concurrently, each on its own connection, without
 * the worker and queue machinery: what the integrity check and the retries need to be exercised.
 */

export interface SessionsResult {
  readonly outcomes: OperationOutcome[];
  readonly committed: Map<number, Set<string>>;
  readonly touched: Set<number>;
}

export async function runSessions(
  database: WorkloadDatabase,
  options: { sessions: number; iterations: number; seed: number; scenario: ScenarioOptions; workload: WorkloadConfig; setup?: string[] },
): Promise<SessionsResult> {
  const shape: DatasetShape = database.index.shape;
  const clients: pg.Client[] = [];
  const result: SessionsResult = { outcomes: [], committed: new Map(), touched: new Set() };
  try {
    for (let s = 0; s < options.sessions; s++) {
      const client = await database.connect(`refswarm_test_session_${s}`);
      clients.push(client);
      for (const statement of options.setup ?? []) await client.query(statement);
    }
    await Promise.all(
      clients.map(async (client, sessionId) => {
        const stream = createOperationStream({
          seed: options.seed,
          sessionId,
          sessionCount: options.sessions,
          scenario: options.scenario,
          dataset: shape,
        });
        const db = sessionDbOf(client);
        for (let i = 0; i < options.iterations; i++) {
          const op = stream.next();
          if (op.kind === 'rewrite') for (const d of op.documents) result.touched.add(d.documentId);
          const outcome = await executeOperation(db, op, options.workload, database.index);
          result.outcomes.push(outcome);
          for (const { documentId, setDigest } of outcome.committed) {
            let sets = result.committed.get(documentId);
            if (!sets) result.committed.set(documentId, (sets = new Set()));
            sets.add(setDigest);
          }
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
  return result;
}
