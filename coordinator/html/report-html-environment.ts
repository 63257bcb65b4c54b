import type { EnvironmentSection, HostEnvironment } from '../results/run-report-sections.ts';
import { escapeHtml, formatBytes } from './format.ts';
import { keyValueTable, table } from './tables.ts';

/** report.html's environment (run.json `environment`): server, settings not at their default, hosts, dataset. Pure. */
export function environmentSection(environment: EnvironmentSection | undefined): string {
  if (!environment) return '<p class="note">no environment recorded in this run.json (an older refswarm)</p>';
  const { server } = environment;
  const hosts = [
    ['coordinator', environment.coordinator] as const,
    ...environment.workers.map((w) => [`worker ${w.id}`, w] as const),
  ].map(([who, h]) => hostRow(who, h));
  const missing = Object.entries(environment.missing ?? {}).map(([what, why]) => `<p class="note">${escapeHtml(what)}: ${escapeHtml(why)}</p>`);
  return (
    keyValueTable([
      ['server version', server?.version],
      ['dataset checksum', environment.datasetChecksum],
    ]) +
    missing.join('') +
    table(['process', 'host', 'CPUs', 'CPU model', 'memory', 'Node', 'refswarm', 'git commit'], hosts) +
    (server
      ? `<details><summary>${Object.keys(server.settings).length} server settings not at their default</summary>${table(
          ['setting', 'value'],
          Object.entries(server.settings),
        )}</details>`
      : '')
  );
}

function hostRow(who: string, h: HostEnvironment): (string | number | undefined)[] {
  return [who, h.host, h.cpus, h.cpuModel, h.memoryBytes === undefined ? undefined : formatBytes(h.memoryBytes), h.nodeVersion, h.refswarmVersion, h.gitCommit?.slice(0, 12)];
}
