import test from 'ava';
import { copyDoneText, copyProgressText, formatCount, formatSeconds, stepProgressText } from '../../../coordinator/load/load-progress.ts';

test('counts and durations read like pgbench', (t) => {
  t.is(formatCount(950), '950');
  t.is(formatCount(81_234), '81k');
  t.is(formatCount(20_100_000), '20.1M');
  t.is(formatSeconds(1234), '1.2 s');
  t.is(formatSeconds(125_000), '2 min 5 s');
});

test('copy progress: phase, share, rows/s and ETA', (t) => {
  t.is(copyProgressText(5_000_000, 20_000_000, 10_000), 'load: copy 25% 5.0M of 20.0M rows, 500k rows/s, ETA 30.0 s');
  t.is(copyProgressText(0, 100, 0), 'load: copy 0% 0 of 100 rows, 0 rows/s, ETA ?');
  t.is(copyDoneText(2_000_000, 4000), 'copy: 2.0M rows in 4.0 s (500k rows/s)');
  t.is(stepProgressText('indexes', 3, 40, 'Reference_PKey', 2500), 'load: indexes 3 of 40 (Reference_PKey), 2.5 s');
});
