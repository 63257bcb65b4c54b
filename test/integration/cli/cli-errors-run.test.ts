import test, { type ExecutionContext } from 'ava';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureReport } from '../../unit/compare/compare-fixture.ts';

/**
 * Every bad flag of run, sweep, compare, restore, report and worker (setup, load and export are in
 * cli-errors.test.ts): one line on stderr naming the problem, nothing on stdout, exit 2 — checked
 * before any service is touched. A table, like pgbench's t/002_pgbench_no_server.pl.
 */

const BIN = fileURLToPath(new URL('../../../bin/refswarm', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'refswarm-cli-errors-'));
const BASE_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/dms_perf_test_cli_errors',
  REFSWARM_NAMESPACE: 'rs_test_cli_errors',
  RESULTS_DIR: join(root, 'results'),
};

function fixtureDir(name: string, content: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'run.json'), content);
  return dir;
}

const badJson = fixtureDir('bad-json', '{ not json');
const otherVersion = fixtureDir('other-version', JSON.stringify({ ...fixtureReport(), version: 99 }));
const wrongType = fixtureDir('wrong-type', JSON.stringify({ ...fixtureReport(), throughput: { opsPerSec: '155' } }));
const noTouched = fixtureDir('no-touched', JSON.stringify(fixtureReport()));
const good = fixtureDir('good', JSON.stringify(fixtureReport()));

test.after.always(() => rmSync(root, { recursive: true, force: true }));

type Row = readonly [args: readonly string[], expected: RegExp, env?: NodeJS.ProcessEnv];

const ROWS: readonly Row[] = [
  // run
  [['run', '--sesions', '3'], /^refswarm run: unknown option --sesions \(see "refswarm run --help"\)$/],
  [['run', '--sessions'], /option --sessions needs a value/],
  [['run', '--sessions', '0'], /invalid value "0" for --sessions: expected an integer from 1/],
  [['run', '--sessions', 'ten'], /invalid value "ten" for --sessions/],
  [['run', '--iterations', '5', '--duration', '5s'], /specify either --iterations or --duration, not both/],
  [['run', '--duration', 'soon'], /invalid value "soon" for --duration/],
  [['run', '--warmup', 'later'], /invalid value "later" for --warmup/],
  [['run', '--scenario', 'cold'], /invalid value "cold" for --scenario: expected one of single/],
  [['run', '--strategy', 'fastest'], /invalid value "fastest" for --strategy: expected one of current, differential, merge/],
  [['run', '--shape', 'round'], /invalid value "round" for --shape/],
  [['run', '--isolation', 'chaos'], /invalid value "chaos" for --isolation/],
  [['run', '--think', '50-10ms'], /for --think/],
  [['run', '--think', '5ms', '--rate', '10'], /specify either --think .* or --rate .*, not both/],
  [['run', '--rate', '0'], /for --rate/],
  [['run', '--max-tries', '0'], /invalid value "0" for --max-tries/],
  // issue 15 case 10: checks that came too late or never
  [['run', '--rate', '0x10'], /invalid value "0x10" for --rate: expected a number above 0 and at most 1000000/],
  [['run', '--rate', '5e-324'], /invalid value "5e-324" for --rate: expected a number above 0 and at most 1000000/],
  [['run', '--read-ratio', '0b1'], /invalid value "0b1" for --read-ratio: expected a number from 0 to 1/],
  [['run', '--threshold', 'errors<200%'], /invalid value "errors<200%" for --threshold: errors is a share of operations: give a percentage from 0 to 100%/],
  [['run', '--isolation', 'serializable'], /--isolation serializable needs a transaction to isolate.*: use --shape dms/],
  [['run', '--duration', '1us'], /--duration 0.001 ms is shorter than one reporting interval \(1s\): give at least 1s/],
  [['run', '--rate', '0.1', '--duration', '5s'], /--rate 0.1 plans one operation every 10 s, longer than --duration 5 s/],
  [['run', '--rate', '0.0000001'], /--iterations 100 at --rate 1e-7 takes \d+ h, beyond the 720 h a run may last/],
  [['run', '--refs-min', '50', '--refs-max', '10'], /--refs-min 50 is above --refs-max 10/],
  [['run', '--read-ratio', '1.5'], /invalid value "1.5" for --read-ratio/],
  [['run', '--batch-size', '0', '--scenario', 'batch'], /invalid value "0" for --batch-size/],
  [['run', '--noop-sleep', 'nap'], /invalid value "nap" for --noop-sleep/],
  [['run', '--seed=-1'], /invalid value "-1" for --seed/],
  [['run', '--threshold', 'p98<5ms'], /invalid value "p98<5ms" for --threshold: unknown metric "p98"/],
  [['run', '--threshold', 'p99 < fast'], /invalid value "p99 < fast" for --threshold: expected METRIC OP VALUE/],
  [['run', '--threshold', 'ops/s>5ms'], /ops\/s takes a plain number/],
  [['run', '--name', '../etc'], /invalid value "..\/etc" for --name/],
  [['run', '--sample-interval', 'often'], /for --sample-interval/],
  [['run', '--wait-workers', 'a while'], /for --wait-workers/],
  [['run', '--local-workers', 'two'], /invalid value "two" for --local-workers/],
  [['run', '--worker-concurrency', '0'], /invalid value "0" for --worker-concurrency/],
  [['run', '--database', 'postgres'], /refusing database "postgres": refswarm only manages databases named dms_perf_\*/],
  [['run', '--change', 'few'], /invalid value "few" for --change: expected an integer from 0 to 100000/],
  [['run', '--target-skew', 'zipf'], /invalid value "zipf" for --target-skew: expected uniform or zipf:S/],
  [['run', '--target-skew', 'zipf:11'], /invalid value "zipf:11" for --target-skew: expected a number above 0 and at most 10/],
  [['run', '--unknown-ratio', '2'], /invalid value "2" for --unknown-ratio: expected a number from 0 to 1/],
  [['run', '--scenario', 'fixture'], /--scenario fixture needs --fixture single_doc_standard\|single_doc_heavy\|batch_100_mixed/],
  [['run', '--scenario', 'fixture', '--fixture', 'tiny'], /invalid value "tiny" for --fixture: expected one of single_doc_standard/],
  [['run', '--fixture-alternate'], /--fixture and --fixture-alternate apply to --scenario fixture only/],
  [['run', 'extra'], /unexpected argument "extra"/],
  [['run'], /invalid value "zero" for --sessions/, { REFSWARM_SESSIONS: 'zero' }],
  [['run'], /invalid DATABASE_URL "not a url"/, { DATABASE_URL: 'not a url' }],
  [['run'], /invalid REDIS_URL "http:\/\/127.0.0.1\/": expected a redis:\/\/, rediss:\/\/, redis-cluster:\/\/ or rediss-cluster:\/\/ URL/, { REDIS_URL: 'http://127.0.0.1/' }],
  [['run'], /invalid REFSWARM_NAMESPACE "bad ns"/, { REFSWARM_NAMESPACE: 'bad ns' }],
  [['run'], /forever/, { REFSWARM_RETENTION: 'forever' }],
  // sweep
  [['sweep', '--sessions', '1,,4'], /invalid value "1,,4" for --sessions: expected a comma-separated list/],
  [['sweep', '--sessions', '4,4'], /invalid value "4,4" for --sessions: a value is repeated/],
  [['sweep', '--sessions', '0,1'], /invalid value "0" for --sessions/],
  [['sweep', '--strategy', 'current,fastest'], /invalid value "current,fastest" for --strategy: "fastest" is not one of current, differential, merge/],
  [['sweep', '--scenario', 'single,cold'], /"cold" is not one of/],
  [['sweep', '--shape', 'bare,round'], /"round" is not one of bare, dms/],
  [['sweep', '--iterations', '5', '--duration', '5s'], /specify either --iterations or --duration, not both \(sweep run current, 10 sessions\)/],
  [['sweep', '--threshold', 'bogus'], /invalid value "bogus" for --threshold/],
  [['sweep', '--bogus'], /unknown option --bogus \(see "refswarm sweep --help"\)/],
  [['sweep', '--shape', 'bare,dms', '--isolation', 'serializable'], /use --shape dms \(sweep run .*bare.*\)/],
  // compare
  [['compare'], /give at least one results directory: refswarm compare DIR/],
  [['compare', join(root, 'missing')], /cannot read ".*missing": no such results directory or run.json/],
  [['compare', badJson], /bad-json.run.json" is not valid JSON/],
  [['compare', otherVersion], /is not a refswarm run.json: version: expected 1, got 99/],
  [['compare', wrongType], /wrong-type\/run.json" is not a refswarm run.json: throughput.opsPerSec: expected a number, got "155"/],
  [['compare', '--top-lock-waits', '0', good], /invalid value "0" for --top-lock-waits/],
  [['compare', '--output'], /option --output needs a value/],
  // restore
  [['restore'], /specify exactly one of --run DIR, --all-touched-from DIR and --documents LIST/],
  [['restore', '--run', good, '--documents', '1'], /specify exactly one of/],
  [['restore', '--documents', 'x'], /invalid value "x" for --documents/],
  [['restore', '--documents', '3-1'], /"3-1" is not a document id or range/],
  [['restore', '--run', join(root, 'missing')], /no such results directory/],
  [['restore', '--run', noTouched], /lists no touched documents/],
  [['restore', '--all-touched-from', join(root, 'missing')], /cannot read ".*missing": no such folder/],
  [['restore', '--batch-rows', '0', '--documents', '1'], /invalid value "0" for --batch-rows/],
  [['restore', '--documents', '1', '--database', 'postgres'], /refusing database "postgres"/],
  // report
  [['report'], /give a results directory \(refswarm report DIR\) or --run-id ID/],
  [['report', 'a', 'b'], /give one results directory, not 2/],
  [['report', good, '--run-id', 'x'], /give either a results directory or --run-id, not both/],
  [['report', join(root, 'missing')], /no such results directory/],
  [['report', wrongType], /wrong-type\/run.json" is not a refswarm run.json: throughput.opsPerSec: expected a number, got "155"/],
  // worker
  [['worker', '--concurrency', '0'], /invalid value "0" for --concurrency/],
  [['worker', '--bogus'], /unknown option --bogus/],
  // dispatcher
  [['frobnicate'], /^refswarm: unknown command "frobnicate"/],
];

/**
 * The table runs in-process through the CLI's own entry point (spawning a tsx process per row costs
 * seconds on a shared machine); output is captured, so these tests run one at a time. A few rows
 * also go through bin/refswarm to prove the same from the outside.
 */
async function inProcess(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../../../coordinator/cli/main.ts');
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await main(args, env);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

function spawned(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, [...args], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function check(t: ExecutionContext, result: { code: number; stdout: string; stderr: string }, expected: RegExp): void {
  t.is(result.code, 2, result.stderr);
  t.is(result.stdout, '');
  const lines = result.stderr.trimEnd().split('\n');
  t.is(lines.length, 1, result.stderr);
  t.regex(lines[0], /^refswarm( [a-z]+)?: /);
  t.regex(lines[0], expected);
}

for (const [args, expected, env] of ROWS) {
  const title = `${args.join(' ')}${env ? ` with ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''}`;
  test.serial(`refswarm ${title}`, async (t) => {
    check(t, await inProcess(args, { ...BASE_ENV, ...env }), expected);
  });
}

/** One row per command through the real binary. */
const SPAWNED: readonly Row[] = [ROWS[0], ...['sweep', 'compare', 'restore', 'report', 'worker'].map((c) => ROWS.find((r) => r[0][0] === c)!)];

for (const [args, expected, env] of SPAWNED) {
  test(`bin/refswarm ${args.join(' ')}`, async (t) => {
    check(t, await spawned(args, { ...BASE_ENV, ...env }), expected);
  });
}
