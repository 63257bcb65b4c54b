import test from 'ava';
import { UsageError } from '../../../shared/errors.ts';
import {
  assertRefswarmDatabaseName,
  connectionSettings,
  maskSecrets,
  maskUrl,
  withDatabase,
} from '../../../shared/connection.ts';

test('defaults point at local services and the dms_perf_test database', (t) => {
  const settings = connectionSettings({});
  t.is(settings.databaseName, 'dms_perf_test');
  t.regex(settings.databaseUrl, /^postgres:\/\/postgres@127\.0\.0\.1:5432\/dms_perf_test$/);
  t.is(settings.redisUrl, 'redis://127.0.0.1:6379');
});

test('a database override replaces the URL path only', (t) => {
  const settings = connectionSettings({ DATABASE_URL: 'postgres://u:secret@db:5433/other?sslmode=disable' }, 'dms_perf_x');
  t.is(settings.databaseName, 'dms_perf_x');
  t.is(settings.databaseUrl, 'postgres://u:secret@db:5433/dms_perf_x?sslmode=disable');
  t.is(withDatabase(settings.databaseUrl, 'postgres'), 'postgres://u:secret@db:5433/postgres?sslmode=disable');
});

test('passwords are masked in URLs and in free text', (t) => {
  t.is(maskUrl('postgres://u:hunter2@db/x'), 'postgres://u:***@db/x');
  t.is(maskSecrets('failed for postgres://u:hunter2@db/x today'), 'failed for postgres://u:***@db/x today');
  t.false(maskUrl('redis://:hunter2@r:6379').includes('hunter2'));
});

test('a password given as a URL parameter is masked, as are the other secret parameters and REDIS_URL ones', (t) => {
  t.is(maskUrl('postgres://u@db/x?password=S3cret&sslmode=require'), 'postgres://u@db/x?password=***&sslmode=require');
  t.is(maskUrl('postgres://u@db/x?sslpassword=S3cret&application_name=a'), 'postgres://u@db/x?sslpassword=***&application_name=a');
  t.is(maskUrl('redis://r:6379/0?password=S3cret'), 'redis://r:6379/0?password=***');
  t.is(maskSecrets('could not reach postgres://u@db/x?password=S3cret now'), 'could not reach postgres://u@db/x?password=*** now');
  t.is(maskSecrets('invalid "x password=S3cret port=5432"'), 'invalid "x password=*** port=5432"');
  t.is(maskSecrets('"password=S3cret host=db"'), '"password=*** host=db"');
  t.is(maskUrl('postgres://u@db/x?sslmode=require'), 'postgres://u@db/x?sslmode=require');
});

test('bad URLs are one clear usage error without the secret', (t) => {
  const error = t.throws(() => connectionSettings({ DATABASE_URL: 'mysql://u:hunter2@db/x' }), { instanceOf: UsageError });
  t.regex(error.message, /invalid DATABASE_URL/);
  t.false(error.message.includes('hunter2'));
  t.throws(() => connectionSettings({ REDIS_URL: 'not a url' }), { instanceOf: UsageError, message: /invalid REDIS_URL/ });
});

test('only dms_perf_* names are managed', (t) => {
  t.notThrows(() => assertRefswarmDatabaseName('dms_perf_demo'));
  for (const name of ['postgres', 'dms_prod', 'dms_perf_Upper', 'dms_perf_x;drop']) {
    t.throws(() => assertRefswarmDatabaseName(name), { instanceOf: UsageError, message: /refusing database/ });
  }
});

test('a redis-cluster:// URL is accepted as REDIS_URL', (t) => {
  t.is(connectionSettings({ REDIS_URL: 'redis-cluster://10.0.0.5:7000' }).redisUrl, 'redis-cluster://10.0.0.5:7000');
  t.throws(() => connectionSettings({ REDIS_URL: 'cluster://10.0.0.5:7000' }), { instanceOf: UsageError });
});
