import { isIP } from 'node:net';
import { UsageError } from '../../shared/errors.ts';
import { optionalStringFlag, rangedFlag, type FlagTable, type ParsedFlags } from '../../shared/cli/options.ts';
import { OPTION_RANGES } from '../../shared/option-ranges.ts';

/**
 * The live view's options (coordinator/live/), shared by `refswarm run` and `refswarm watch`.
 * `--dashboard` takes an optional port: alone it means the default port.
 */

export const DEFAULT_DASHBOARD_PORT = 9464;
export const DEFAULT_DASHBOARD_HOST = '127.0.0.1';
const DEFAULT_LINGER_MS = 10_000;

export const DASHBOARD_FLAGS = {
  dashboard: {
    kind: 'string',
    description: `serve the live dashboard, /events and /metrics on this port (alone: ${DEFAULT_DASHBOARD_PORT}; 0: any free port)`,
    range: OPTION_RANGES.dashboard,
  },
  'dashboard-host': { kind: 'string', description: 'address the dashboard listens on (another than loopback exposes it to the network)', defaultText: DEFAULT_DASHBOARD_HOST },
  'dashboard-linger': {
    kind: 'string',
    description: 'after the run, keep serving the dashboard (and its report link) this long; Ctrl-C ends it early',
    defaultText: '10s',
    range: OPTION_RANGES['dashboard-linger'],
  },
} as const satisfies FlagTable;

export interface DashboardOptions {
  readonly host: string;
  readonly port: number;
  readonly lingerMs: number;
}

/** `--dashboard` followed by no port (the end, or another option) gets the default port. */
export function withDashboardPort(argv: readonly string[]): string[] {
  return argv.map((arg, i) => (arg === '--dashboard' && (i + 1 >= argv.length || argv[i + 1].startsWith('-')) ? `--dashboard=${DEFAULT_DASHBOARD_PORT}` : arg));
}

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/** The dashboard's options, or undefined without --dashboard; `always`: watch serves whether or not it is given. */
export function dashboardOptions(flags: ParsedFlags, always = false): DashboardOptions | undefined {
  const given = flags.values.dashboard !== undefined;
  const host = optionalStringFlag(flags, 'dashboard-host');
  const lingerGiven = flags.values['dashboard-linger'] !== undefined;
  if (!given && !always) {
    const orphan = host !== undefined ? '--dashboard-host' : lingerGiven ? '--dashboard-linger' : undefined;
    if (orphan) throw new UsageError(`${orphan} needs --dashboard: add --dashboard [PORT]`);
    return undefined;
  }
  if (host !== undefined && isIP(host) === 0 && !HOST_NAME.test(host)) {
    throw new UsageError(`invalid value "${host}" for --dashboard-host: expected an IP address or host name to listen on, such as 127.0.0.1 or 0.0.0.0`);
  }
  return {
    host: host ?? DEFAULT_DASHBOARD_HOST,
    port: rangedFlag(flags, 'dashboard', DEFAULT_DASHBOARD_PORT, OPTION_RANGES.dashboard),
    lingerMs: lingerGiven ? rangedFlag(flags, 'dashboard-linger', DEFAULT_LINGER_MS, OPTION_RANGES['dashboard-linger'], 's') : DEFAULT_LINGER_MS,
  };
}
