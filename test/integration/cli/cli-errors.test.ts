import test from 'ava';
import { runCli } from '../support/processes.ts';
import { BIN } from '../support/test-environment.ts';

/**
 * Bad invocations → exactly one clear line on stderr, nothing on stdout, exit code 2 (in the
 * spirit of pgbench's t/002_pgbench_no_server.pl). One row per case; append rows for new commands.
 * Rows that reach PostgreSQL use databases that never exist (dms_perf_test_clierrors_*) or a port
 * where nothing listens.
 */

interface BadInvocation {
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** The one stderr line must match. */
  readonly stderr: RegExp;
  /** Text that must not appear anywhere in the output (secrets). */
  readonly never?: string;
}

const UNREACHABLE = 'postgres://postgres@127.0.0.1:1/dms_perf_test_clierrors';
const MISSING = 'postgres://postgres@127.0.0.1:5432/dms_perf_test_clierrors_missing';

const BAD_INVOCATIONS: readonly BadInvocation[] = [
  // setup
  { args: ['setup', '--bogus'], stderr: /^refswarm setup: unknown option --bogus \(see "refswarm setup --help"\)$/ },
  { args: ['setup', '--partitions'], stderr: /^refswarm setup: option --partitions needs a value/ },
  { args: ['setup', '--partitions', 'abc'], stderr: /^refswarm setup: invalid value "abc" for --partitions: expected an integer from 1 to 256$/ },
  { args: ['setup', '--partitions', '0'], stderr: /invalid value "0" for --partitions: expected an integer from 1 to 256$/ },
  { args: ['setup', '--partitions', '257'], stderr: /invalid value "257" for --partitions/ },
  { args: ['setup', '--partitions', '2.5'], stderr: /invalid value "2.5" for --partitions/ },
  { args: ['setup', '--database', 'postgres'], stderr: /^refswarm setup: refusing database "postgres": refswarm only manages databases named dms_perf_\*/ },
  { args: ['setup', '--database', 'dms_perf_Upper'], stderr: /refusing database "dms_perf_Upper"/ },
  { args: ['setup', '--database', 'dms_perf_x; DROP'], stderr: /refusing database "dms_perf_x; DROP"/ },
  { args: ['setup'], env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/mydb' }, stderr: /refusing database "mydb"/ },
  { args: ['setup'], env: { DATABASE_URL: 'not a url' }, stderr: /^refswarm setup: invalid DATABASE_URL "not a url": expected a URL/ },
  { args: ['setup'], env: { DATABASE_URL: 'mysql://127.0.0.1/dms_perf_x' }, stderr: /invalid DATABASE_URL .*expected a postgres:\/\/ or postgresql:\/\/ URL/ },
  { args: ['setup'], env: { DATABASE_URL: UNREACHABLE }, stderr: /^refswarm setup: cannot reach PostgreSQL at .*127\.0\.0\.1:1.* \(ECONNREFUSED\): start it or set DATABASE_URL$/ },
  {
    args: ['setup'],
    env: { DATABASE_URL: 'postgres://postgres:s3cret-pw@127.0.0.1:1/dms_perf_test_clierrors' },
    stderr: /cannot reach PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1/,
    never: 's3cret-pw',
  },
  { args: ['setup', 'extra'], stderr: /^refswarm setup: unexpected argument "extra"/ },
  // load
  { args: ['load', '--bogus'], stderr: /^refswarm load: unknown option --bogus/ },
  { args: ['load', '--documents', 'many'], stderr: /^refswarm load: invalid value "many" for --documents: expected an integer from 2 to 50000000$/ },
  { args: ['load', '--documents', '1'], stderr: /invalid value "1" for --documents/ },
  { args: ['load', '--references=-5'], stderr: /invalid value "-5" for --references: expected an integer from 0 to/ },
  { args: ['load', '--references', '-5'], stderr: /^refswarm load: .*--references.*\(see "refswarm load --help"\)$/ },
  { args: ['load', '--references', '1e6'], stderr: /invalid value "1e6" for --references/ },
  { args: ['load', '--avg-refs-per-doc', '0'], stderr: /invalid value "0" for --avg-refs-per-doc/ },
  { args: ['load', '--partitions', '1000'], stderr: /invalid value "1000" for --partitions: expected an integer from 1 to 256$/ },
  { args: ['load', '--jobs', '0'], stderr: /invalid value "0" for --jobs: expected an integer from 1 to 16$/ },
  { args: ['load', '--maintenance-work-mem', 'lots'], stderr: /invalid value "lots" for --maintenance-work-mem: expected a size such as 256MB/ },
  { args: ['load', '--distinct-pairs=yes'], stderr: /^refswarm load: Option '--distinct-pairs' does not take an argument \(see "refswarm load --help"\)$/ },
  { args: ['load', '--documents', 'x'], env: { REFSWARM_DOCUMENTS: '5' }, stderr: /invalid value "x" for --documents/ },
  { args: ['load'], env: { REFSWARM_DOCUMENTS: 'ten' }, stderr: /invalid value "ten" for --documents/ },
  { args: ['load'], env: { DATABASE_URL: UNREACHABLE }, stderr: /^refswarm load: cannot reach PostgreSQL at .*\(ECONNREFUSED\)/ },
  { args: ['load'], env: { DATABASE_URL: MISSING }, stderr: /^refswarm load: database in .*dms_perf_test_clierrors_missing does not exist: run "refswarm setup" first$/ },
  { args: ['load', '--database', 'other'], stderr: /^refswarm load: refusing database "other": refswarm only manages databases named dms_perf_\*/ },
  { args: ['load'], env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' }, stderr: /refusing database "postgres"/ },
  // export
  { args: ['export'], stderr: /^refswarm export: --output DIR is required$/ },
  { args: ['export', '--output'], stderr: /^refswarm export: option --output needs a value/ },
  { args: ['export', '--output', '/tmp/x', '--documents', '1e3'], stderr: /invalid value "1e3" for --documents/ },
  { args: ['export', '--output', '/tmp/x', '--partitions=-1'], stderr: /invalid value "-1" for --partitions/ },
  // export --output into a folder that cannot be created spins forever and ignores SIGTERM (issue 15, case 8)
  { args: ['export', '--output', '/proc/refswarm-export', '--documents', '10', '--references', '100', '--avg-refs-per-doc', '10'], stderr: /^refswarm export: cannot create --output "\/proc\/refswarm-export": ENOENT$/ },
  { args: ['export', '--output', '/dev/null/x', '--documents', '10', '--references', '100', '--avg-refs-per-doc', '10'], stderr: /^refswarm export: cannot create --output "\/dev\/null\/x": ENOTDIR$/ },
  { args: ['export', '--bogus'], stderr: /^refswarm export: unknown option --bogus/ },
  // no command, unknown command
  { args: ['frobnicate'], stderr: /^refswarm: unknown command "frobnicate"/ },
  // check
  { args: ['check'], stderr: /^refswarm check: specify exactly one of --documents LIST and --all$/ },
  { args: ['check', '--all', '--documents', '1'], stderr: /^refswarm check: specify exactly one of --documents LIST and --all$/ },
  { args: ['check', '--documents', '3-1'], stderr: /^refswarm check: invalid value "3-1" for --documents: "3-1" is not a document id or range/ },
  { args: ['check', '--all', '--database', 'postgres'], stderr: /^refswarm check: refusing database "postgres"/ },
  { args: ['check', '--all'], env: { DATABASE_URL: UNREACHABLE }, stderr: /^refswarm check: cannot reach PostgreSQL at .*127\.0\.0\.1:1/ },
];

/** The environment without the caller's DATABASE_URL and REFSWARM_* settings, pointing at a missing database. */
function cleanEnv(env: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  for (const key of Object.keys(base)) if (key.startsWith('REFSWARM_')) delete base[key];
  return { ...base, DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/dms_perf_test_clierrors_missing', ...env };
}

for (const bad of BAD_INVOCATIONS) {
  const envText = bad.env ? ` (${Object.entries(bad.env).map(([k, v]) => `${k}=${v}`).join(' ')})` : '';
  test(`refswarm ${bad.args.join(' ')}${envText} → exit 2, one line`, async (t) => {
    const { code, stdout, stderr } = await runCli(BIN, bad.args, cleanEnv(bad.env));
    t.is(code, 2, stderr);
    t.is(stdout, '');
    const lines = stderr.split('\n').filter((l) => l.length > 0);
    t.is(lines.length, 1, stderr);
    t.regex(lines[0], bad.stderr);
    if (bad.never) t.false((stdout + stderr).includes(bad.never), 'secret leaked');
  });
}
