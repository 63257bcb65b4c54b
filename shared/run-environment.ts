import { connectionSettings, type ConnectionSettings } from './connection.ts';
import { UsageError } from './errors.ts';
import { parseDurationMs } from './cli/options.ts';
import { DEFAULT_NAMESPACE, DEFAULT_RETENTION_MS } from './protocol/redis-keys.ts';

/** Where a run connects to and keeps its Redis state: read once from the environment. */
export interface RunEnvironment {
  readonly connection: ConnectionSettings;
  readonly namespace: string;
  readonly retentionMs: number;
  /** Environment handed to local worker processes (same DATABASE_URL, REDIS_URL, namespace). */
  readonly workerEnv: NodeJS.ProcessEnv;
}

export function runEnvironmentFrom(env: NodeJS.ProcessEnv, databaseOverride?: string): RunEnvironment {
  const connection = connectionSettings(env, databaseOverride);
  const namespace = env.REFSWARM_NAMESPACE || DEFAULT_NAMESPACE;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(namespace)) {
    throw new UsageError(`invalid REFSWARM_NAMESPACE "${namespace}": expected letters, digits, . _ - (at most 64)`);
  }
  let retentionMs = DEFAULT_RETENTION_MS;
  if (env.REFSWARM_RETENTION) {
    const invalid = new UsageError(`invalid REFSWARM_RETENTION "${env.REFSWARM_RETENTION}": expected a duration of at least 1s, such as 30m or 24h`);
    try {
      retentionMs = parseDurationMs('REFSWARM_RETENTION', env.REFSWARM_RETENTION);
    } catch {
      throw invalid;
    }
    if (retentionMs < 1000) throw invalid;
  }
  return { connection, namespace, retentionMs, workerEnv: { ...env, REFSWARM_NAMESPACE: namespace } };
}
