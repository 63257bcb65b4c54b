import type pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectPg } from '../shared/pg-connect.ts';
import type { SessionDb } from '../shared/workload/contracts.ts';

/**
 * A session's own PostgreSQL connection (not a pool), tagged with the session's application_name so
 * that the lock-wait sampler finds it. A lost connection is re-opened with bounded exponential
 * backoff; when the server stays gone past the bound, reconnect() throws and the session ends.
 */

const FIRST_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 2000;
export const RECONNECT_BOUND_MS = 30_000;

/** Backoff before reconnect attempt `attempt` (0-based): 100 ms doubling up to 2 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** Math.min(attempt, 10));
}

export class SessionConnection implements SessionDb {
  private closed = false;

  private constructor(
    private client: pg.Client,
    private readonly databaseUrl: string,
    private readonly applicationName: string,
    private readonly signal: AbortSignal,
  ) {}

  /** Connects once; throws ConfigurationError (masked, clear) when PostgreSQL refuses. */
  static async open(databaseUrl: string, applicationName: string, signal: AbortSignal): Promise<SessionConnection> {
    const client = await connectPg(databaseUrl, applicationName);
    return new SessionConnection(client, databaseUrl, applicationName, signal);
  }

  query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    values?: readonly unknown[],
    name?: string,
  ): Promise<{ rows: R[]; rowCount: number | null }> {
    if (name !== undefined) return this.client.query<R>({ name, text, values: values as unknown[] | undefined });
    if (values === undefined) return this.client.query<R>(text);
    return this.client.query<R>(text, values as unknown[]);
  }

  async reconnect(): Promise<void> {
    const old = this.client;
    old.end().catch(() => undefined);
    const giveUpAt = performance.now() + RECONNECT_BOUND_MS;
    let lastError: unknown;
    for (let attempt = 0; ; attempt++) {
      if (this.closed || this.signal.aborted) throw new Error('session connection closed while reconnecting');
      try {
        this.client = await connectPg(this.databaseUrl, this.applicationName);
        if (this.closed) await this.client.end().catch(() => undefined);
        return;
      } catch (error) {
        lastError = error;
      }
      const delay = reconnectDelayMs(attempt);
      if (performance.now() + delay > giveUpAt) break;
      await sleep(delay, undefined, { signal: this.signal }).catch(() => undefined);
    }
    const reason = lastError instanceof Error ? lastError.message : String(lastError);
    throw new Error(`PostgreSQL stayed unreachable for ${RECONNECT_BOUND_MS / 1000} s: ${reason}`);
  }

  backendPid(): number | undefined {
    return (this.client as unknown as { processID: number | null }).processID ?? undefined;
  }

  /** Asks the server to cancel the statement in flight (from a separate short connection). */
  async cancelInFlight(): Promise<void> {
    const pid = (this.client as unknown as { processID: number | null }).processID;
    if (pid === null || this.closed) return;
    const canceller = await connectPg(this.databaseUrl, `${this.applicationName}_cancel`.slice(0, 63)).catch(() => undefined);
    if (!canceller) return;
    try {
      await canceller.query('SELECT pg_cancel_backend($1)', [pid]);
    } catch {
      // The statement may have ended meanwhile; nothing to cancel.
    } finally {
      await canceller.end().catch(() => undefined);
    }
  }

  /** Closes the connection; a statement still in flight is cut off (its query rejects). */
  async close(): Promise<void> {
    this.closed = true;
    await this.client.end().catch(() => undefined);
  }
}
