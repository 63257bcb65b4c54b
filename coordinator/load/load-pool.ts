import type pg from 'pg';
import { connectPg } from '../../shared/pg-connect.ts';
import { loadSql } from '../../shared/sql.ts';

/**
 * A few PostgreSQL connections working through a list of tasks (COPY into one partition, build
 * one index on one partition, ...), each task on the next free connection. The first failure, or
 * the abort signal, cancels the statements still running, so nothing keeps the server busy.
 */

export interface PoolTask {
  readonly label: string;
  run(client: pg.Client): Promise<void>;
}

interface Member {
  readonly client: pg.Client;
  readonly pid: number;
  busy: boolean;
}

export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
}

export class LoadPool {
  private constructor(
    private readonly members: readonly Member[],
    private readonly control: pg.Client,
  ) {}

  /** `size` working connections, each prepared with `sessionSql`, plus one to cancel from. */
  static async open(databaseUrl: string, size: number, sessionSql: readonly string[], applicationName: string): Promise<LoadPool> {
    const clients: pg.Client[] = [];
    try {
      for (let i = 0; i <= size; i++) clients.push(await connectPg(databaseUrl, applicationName));
      const members: Member[] = [];
      for (const client of clients.slice(1)) {
        for (const statement of sessionSql) await client.query(statement);
        const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
        members.push({ client, pid, busy: false });
      }
      return new LoadPool(members, clients[0]);
    } catch (error) {
      await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
      throw error;
    }
  }

  get size(): number {
    return this.members.length;
  }

  /**
   * Runs the tasks in the given order (put the longest first), `onDone` after each. Rejects with
   * the first failure, or InterruptedError when `signal` aborts, once every connection is idle.
   */
  async runAll(
    tasks: readonly PoolTask[],
    signal?: AbortSignal,
    onDone?: (task: PoolTask, ms: number) => void,
    connections = this.members.length,
  ): Promise<void> {
    let next = 0;
    let failure: unknown;
    const stop = (): void => void this.cancelRunning();
    signal?.addEventListener('abort', stop, { once: true });
    const work = async (member: Member): Promise<void> => {
      while (failure === undefined && !signal?.aborted && next < tasks.length) {
        const task = tasks[next++];
        const started = performance.now();
        member.busy = true;
        try {
          await task.run(member.client);
        } catch (error) {
          if (failure === undefined) {
            failure = error;
            stop();
          }
          return;
        } finally {
          member.busy = false;
        }
        onDone?.(task, performance.now() - started);
      }
    };
    try {
      await Promise.all(this.members.slice(0, connections).map(work));
    } finally {
      signal?.removeEventListener('abort', stop);
    }
    if (signal?.aborted) throw new InterruptedError('interrupted');
    if (failure !== undefined) throw failure;
  }

  /** Runs the tasks one after the other on one connection (statements that take the same locks). */
  async runSerially(tasks: readonly PoolTask[], signal?: AbortSignal, onDone?: (task: PoolTask, ms: number) => void): Promise<void> {
    await this.runAll(tasks, signal, onDone, 1);
  }

  async close(): Promise<void> {
    await Promise.all([this.control, ...this.members.map((m) => m.client)].map((c) => c.end().catch(() => undefined)));
  }

  private async cancelRunning(): Promise<void> {
    const pids = this.members.filter((m) => m.busy).map((m) => m.pid);
    if (pids.length === 0) return;
    await this.control.query(loadSql('load/cancel-backends'), [pids]).catch(() => undefined);
  }
}
