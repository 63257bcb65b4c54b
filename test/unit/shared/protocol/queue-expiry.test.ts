import test from 'ava';
import { MAX_QUEUE_EXPIRY_RENEWAL_MS, queueExpiryRenewalMs } from '../../../../shared/protocol/queue-expiry.ts';

test('queue keys are renewed at a quarter of the retention time', (t) => {
  t.is(queueExpiryRenewalMs(60_000, 1000), 15_000);
});

test('a long retention still renews the queue keys once a minute, so that keys BullMQ adds get their expiry soon', (t) => {
  t.is(queueExpiryRenewalMs(24 * 3600 * 1000, 1000), MAX_QUEUE_EXPIRY_RENEWAL_MS);
});

test('a retention shorter than four beats renews on every beat', (t) => {
  t.is(queueExpiryRenewalMs(3000, 1000), 1000);
});
