import test from 'ava';
import { READ_BACK_SEEN_MAX } from '../../../shared/protocol/messages.ts';
import { WriteVerifier } from '../../../worker/write-verifier.ts';

const OWN = '2:0000000100000002000000030000000a';
const OTHER = '3:0000000100000002000000030000000b';

test('its own set is only counted; another is sent once per document and digest; nothing read back, nothing to send', (t) => {
  const verifier = new WriteVerifier();
  t.is(verifier.take(), undefined);
  verifier.record([{ documentId: 1, setDigest: OWN }, { documentId: 2, setDigest: OWN }], new Map([[1, OWN], [2, OTHER]]), 1, 120);
  verifier.record([{ documentId: 2, setDigest: OWN }], new Map([[2, OTHER]]), 2, 80);
  verifier.recordFailure(30);
  t.deepEqual(verifier.take(), { writesChecked: 3, readBacks: 3, micros: 230, failed: 1, seen: [{ documentId: 2, digest: OTHER, operation: 1 }], cut: 0 });
  verifier.record([{ documentId: 2, setDigest: OWN }], new Map([[2, OTHER]]), 3, 10);
  t.deepEqual(verifier.take(), { writesChecked: 1, readBacks: 1, micros: 10, seen: [], cut: 0 }, 'already sent in an earlier event');
});

test('one event carries at most READ_BACK_SEEN_MAX sets; the rest are counted as cut', (t) => {
  const verifier = new WriteVerifier();
  for (let d = 1; d <= READ_BACK_SEEN_MAX + 5; d++) verifier.record([{ documentId: d, setDigest: OWN }], new Map([[d, OTHER]]), d, 1);
  const taken = verifier.take();
  t.is(taken?.seen.length, READ_BACK_SEEN_MAX);
  t.is(taken?.cut, 5);
  t.is(taken?.writesChecked, READ_BACK_SEEN_MAX + 5);
});
