import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { uuidv7 } from 'uuidv7';
import { loadDataset } from '../../../coordinator/load/load.ts';
import { setupDatabase } from '../../../coordinator/database/setup.ts';
import { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, connectionSettings, withDatabase } from '../../../shared/connection.ts';
import type { DatasetShape } from '../../../shared/dataset.ts';
import { withPg } from '../../../shared/pg-connect.ts';
import { redisKeys, type RedisKeys } from '../../../shared/protocol/redis-keys.ts';

/**
 * What an integration test that runs refswarm processes needs of its own: a database
 * `dms_perf_test_<area>_<suffix>`, a Redis namespace `rs_test_<area>_<suffix>`, a temporary
 * folder, and the environment that points refswarm at all three. `prepare` sets the database up
 * and loads the dataset; `cleanup` drops the database (and any `extraDatabases`), deletes the
 * namespace's Redis keys and removes the folder.
 */

export interface TestEnvironmentOptions {
  /** RESULTS_DIR as a folder inside `root` (default: `root` itself). */
  readonly resultsSubdir?: string;
}

export interface TestEnvironment {
  readonly bin: string;
  /** DATABASE_URL of the environment, or the default; `withDatabase(baseUrl, name)` names any other database on the server. */
  readonly baseUrl: string;
  readonly redisUrl: string;
  /** Unique per test file; also usable to name other objects (roles, databases). */
  readonly suffix: string;
  readonly database: string;
  readonly databaseUrl: string;
  readonly namespace: string;
  readonly keys: RedisKeys;
  /** The temporary folder, removed by `cleanup`. */
  readonly root: string;
  readonly resultsRoot: string;
  /** process.env with DATABASE_URL, REDIS_URL, REFSWARM_NAMESPACE and RESULTS_DIR set to the above. */
  readonly env: NodeJS.ProcessEnv;
  prepare(): Promise<void>;
  cleanup(extraDatabases?: readonly string[]): Promise<void>;
}

export const BIN = fileURLToPath(new URL('../../../bin/refswarm', import.meta.url));

const silent = { write: () => true } as unknown as NodeJS.WritableStream;

export function testEnvironment(area: string, dataset?: DatasetShape, options: TestEnvironmentOptions = {}): TestEnvironment {
  const baseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  const suffix = uuidv7().replaceAll('-', '').slice(-10);
  const database = `dms_perf_test_${area}_${suffix}`;
  const databaseUrl = withDatabase(baseUrl, database);
  const namespace = `rs_test_${area}_${suffix}`;
  const root = mkdtempSync(join(tmpdir(), `refswarm-${area}-test-`));
  const resultsRoot = options.resultsSubdir === undefined ? root : join(root, options.resultsSubdir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REFSWARM_NAMESPACE: namespace,
    RESULTS_DIR: resultsRoot,
  };
  return {
    bin: BIN,
    baseUrl,
    redisUrl,
    suffix,
    database,
    databaseUrl,
    namespace,
    keys: redisKeys(namespace),
    root,
    resultsRoot,
    env,
    async prepare() {
      if (!dataset) throw new Error(`testEnvironment("${area}") has no dataset to prepare: pass one`);
      const settings = connectionSettings(env);
      await setupDatabase(settings, { force: true, partitions: dataset.partitions }, () => undefined);
      await loadDataset(settings, dataset, { force: true }, silent);
    },
    async cleanup(extraDatabases = []) {
      const redis = new Redis(redisUrl);
      try {
        const found = await redis.keys(`{${namespace}}*`);
        if (found.length > 0) await redis.del(...found);
      } finally {
        await redis.quit();
      }
      await withPg(withDatabase(baseUrl, 'postgres'), async (c) => {
        for (const name of [database, ...extraDatabases]) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
      rmSync(root, { recursive: true, force: true });
    },
  };
}
