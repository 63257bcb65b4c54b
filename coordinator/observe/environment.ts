import type pg from 'pg';
import { hostInfo, type HostInfo } from '../../shared/host-info.ts';
import type { WorkerAnnouncement } from '../../shared/protocol/messages.ts';
import { loadSql } from '../../shared/sql.ts';
import type { EnvironmentSection, HostEnvironment } from '../results/run-report-sections.ts';

/**
 * run.json `environment`: what a run ran on, read once before its sessions are enqueued. The server's
 * version and every setting not at its default (sql/observability/server-settings.sql), the
 * coordinator's host and runtime, each worker's as it announced them, and the dataset's manifest
 * checksum. `compare` warns when runs differ in any of it (coordinator/compare/environment-diff.ts).
 * No connection URL is recorded; a part that cannot be read is named in `missing`, never fatal.
 */

export async function readEnvironment(client: pg.Client, workers: readonly WorkerAnnouncement[], datasetChecksum: string): Promise<EnvironmentSection> {
  const missing: Record<string, string> = {};
  let server: EnvironmentSection['server'];
  try {
    const version = (await client.query<{ version: string; version_num: number }>(loadSql('observability/server-version'))).rows[0];
    const rows = (await client.query<{ name: string; value: string }>(loadSql('observability/server-settings'))).rows;
    server = { version: version.version, versionNum: version.version_num, settings: Object.fromEntries(rows.map((r) => [r.name, r.value])) };
  } catch (error) {
    missing.server = `query failed: ${(error as Error).message}`;
  }
  return {
    ...(server ? { server } : {}),
    coordinator: hostEnvironment(hostInfo()),
    workers: workers.map(workerEnvironment).sort((a, b) => a.id.localeCompare(b.id)),
    ...(datasetChecksum ? { datasetChecksum } : {}),
    ...(Object.keys(missing).length > 0 ? { missing } : {}),
  };
}

function hostEnvironment(info: HostInfo): HostEnvironment {
  return { ...info };
}

function workerEnvironment(worker: WorkerAnnouncement): EnvironmentSection['workers'][number] {
  return {
    id: worker.workerId,
    host: worker.host,
    ...(worker.cpus === undefined ? {} : { cpus: worker.cpus }),
    ...(worker.cpuModel === undefined ? {} : { cpuModel: worker.cpuModel }),
    ...(worker.memoryBytes === undefined ? {} : { memoryBytes: worker.memoryBytes }),
    ...(worker.nodeVersion === undefined ? {} : { nodeVersion: worker.nodeVersion }),
    refswarmVersion: worker.version,
    ...(worker.gitCommit === undefined ? {} : { gitCommit: worker.gitCommit }),
  };
}
