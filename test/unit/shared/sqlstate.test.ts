import test from 'ava';
import { errorCodeName, failureCode, isRetryable } from '../../../shared/sqlstate.ts';

const CASES: [string, unknown, string | undefined][] = [
  ['deadlock', { code: '40P01', message: 'deadlock detected' }, '40P01'],
  ['serialization failure', { code: '40001' }, '40001'],
  ['lock not available', { code: '55P03' }, '55P03'],
  ['statement timeout', { code: '57014' }, '57014'],
  ['foreign key violation', { code: '23503' }, '23503'],
  ['other SQLSTATE kept as it is', { code: '42P10' }, '42P10'],
  ['class 08 connection exception', { code: '08006' }, 'connection'],
  ['class 08 connection failure', { code: '08001' }, 'connection'],
  ['server terminated the backend', { code: '57P01', message: 'terminating connection due to administrator command' }, 'connection'],
  ['socket reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'connection'],
  ['broken pipe', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }), 'connection'],
  ['node-postgres dead client', new Error('Connection terminated unexpectedly'), 'connection'],
  ['node-postgres not queryable', new Error('Client has encountered a connection error and is not queryable'), 'connection'],
  ['a programming error is not a failure', new TypeError('x is undefined'), undefined],
  ['not an object', 'boom', undefined],
];

for (const [title, error, expected] of CASES) {
  test(`failureCode: ${title}`, (t) => {
    t.is(failureCode(error), expected);
  });
}

test('only deadlocks and serialization failures are retried', (t) => {
  t.true(isRetryable('40P01'));
  t.true(isRetryable('40001'));
  for (const code of ['55P03', '57014', '23503', 'connection', 'unknown-alias', '42P10']) t.false(isRetryable(code), code);
});

test('names for reports', (t) => {
  t.is(errorCodeName('40P01'), 'deadlock');
  t.is(errorCodeName('XX000'), 'XX000');
});
