import type { Redis } from 'ioredis';
import { EVENT_FIELD, type RedisKeys } from '../shared/protocol/redis-keys.ts';
import type { RunEvent } from '../shared/protocol/messages.ts';

/**
 * Appends session events, the worker's merged intervals and its health to the run's stream (field
 * EVENT_FIELD, JSON). The connection should be auto-pipelined, so the events sent in the same tick
 * travel in one round trip. The stream's expiry is refreshed with each ready/done, so a run whose coordinator
 * died still disappears after the retention time.
 */
export class EventPublisher {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly retentionMs: number,
  ) {}

  async publish(event: RunEvent): Promise<void> {
    const stream = this.keys.runEvents(event.runId);
    const added = this.redis.xadd(stream, '*', EVENT_FIELD, JSON.stringify(event));
    if (event.type === 'ready' || event.type === 'done') await this.redis.pexpire(stream, this.retentionMs);
    await added;
  }
}
