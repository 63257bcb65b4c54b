import type { EnvironmentSection, HostEnvironment } from '../results/run-report-sections.ts';
import type { RunReport } from '../results/run-report.ts';

/**
 * What `compare` warns about before anyone reads its figures: runs that did not run on the same
 * thing (run.json `environment`). One line per aspect in which the runs differ, naming every run's
 * value by its number: `server setting shared_buffers: [1] 128MB, [2] 1GB`. Host names are left
 * out (containers get new ones every time); what the hosts have is compared instead, the workers'
 * as the set of their distinct values (how many workers a run used follows from its sessions and is
 * in run.json `workers`). Pure.
 */

type Aspect = readonly [label: string, value: (environment: EnvironmentSection) => string | undefined];

const ABSENT = '(none)';

export function environmentWarnings(reports: readonly RunReport[]): string[] {
  const warnings: string[] = [];
  const recorded = reports.flatMap((report, i) => (report.environment ? [{ n: i + 1, environment: report.environment }] : []));
  const unrecorded = reports.flatMap((report, i) => (report.environment ? [] : [`[${i + 1}]`]));
  if (unrecorded.length > 0 && recorded.length > 0) {
    warnings.push(`environment not recorded in ${unrecorded.join(', ')} (run.json of an older refswarm): it cannot be compared`);
  }
  if (recorded.length < 2) return warnings;
  for (const [label, value] of aspects(recorded.map((r) => r.environment))) {
    const values = recorded.map((r) => value(r.environment) ?? ABSENT);
    if (values.every((v) => v === values[0])) continue;
    warnings.push(`${label}: ${recorded.map((r, i) => `[${r.n}] ${values[i]}`).join(', ')}`);
  }
  return warnings;
}

function aspects(environments: readonly EnvironmentSection[]): Aspect[] {
  const settings = [...new Set(environments.flatMap((e) => Object.keys(e.server?.settings ?? {})))].sort();
  return [
    ['server version', (e) => e.server?.version],
    ...settings.map((name): Aspect => [`server setting ${name}`, (e) => e.server?.settings[name]]),
    ...hostAspects('coordinator', (e) => [e.coordinator]),
    ...hostAspects('workers', (e) => e.workers),
    ['dataset checksum', (e) => e.datasetChecksum],
  ];
}

/** The coordinator's host, or the workers' (their distinct values, sorted). */
function hostAspects(who: string, hosts: (e: EnvironmentSection) => readonly HostEnvironment[]): Aspect[] {
  const of = (pick: (h: HostEnvironment) => string | undefined) => (e: EnvironmentSection) => {
    const values = [...new Set(hosts(e).map((h) => pick(h) ?? ABSENT))].sort();
    return values.length === 0 ? undefined : values.join(' / ');
  };
  return [
    [`${who} CPUs`, of((h) => (h.cpus === undefined ? undefined : String(h.cpus)))],
    [`${who} CPU model`, of((h) => h.cpuModel)],
    [`${who} memory`, of((h) => (h.memoryBytes === undefined ? undefined : gibibytes(h.memoryBytes)))],
    [`${who} Node`, of((h) => h.nodeVersion)],
    [`${who} refswarm`, of((h) => h.refswarmVersion)],
    [`${who} git commit`, of((h) => h.gitCommit?.slice(0, 12))],
  ];
}

function gibibytes(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}
