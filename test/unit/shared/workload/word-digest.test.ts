import test from 'ava';
import { createHash } from 'node:crypto';
import { DEFAULT_SCENARIO_OPTIONS, type ScenarioName } from '../../../../shared/run-config.ts';
import { createOperationStream } from '../../../../shared/workload/operation-stream.ts';
import { WordDigest } from '../../../../shared/workload/word-digest.ts';

function sha256OfWords(words: readonly number[]): string {
  return createHash('sha256').update(Uint32Array.from(words)).digest('hex');
}

test('the digest of words fed in pieces is the sha256 of all of them at once, across buffer flushes and oversized pieces', (t) => {
  const digest = new WordDigest();
  const all: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    if (i % 3 === 0) {
      digest.add1(i);
      all.push(i);
    } else {
      digest.add2(i, 0xffff_ffff - i);
      all.push(i, 0xffff_ffff - i);
    }
    if (i % 2500 === 0) {
      const big = Uint32Array.from({ length: 5000 + i }, (_, k) => k * 7);
      digest.addWords(big);
      all.push(...big);
    }
  }
  t.is(digest.digest(), sha256OfWords(all));
});

test('digest() does not consume: words added after it extend the same stream', (t) => {
  const digest = new WordDigest();
  digest.add2(1, 2);
  t.is(digest.digest(), sha256OfWords([1, 2]));
  t.is(digest.digest(), sha256OfWords([1, 2]));
  digest.addWords(Uint32Array.of(3, 4, 5));
  t.is(digest.digest(), sha256OfWords([1, 2, 3, 4, 5]));
});

test('regression: noop and idle streams keep the digests they had with one hash update per operation', (t) => {
  // Computed before the digest was buffered (seed 7, session 3 of 8, D=2000): after 1, 777 and 5000 operations.
  const dataset = { documents: 2000, references: 100_000, avgRefsPerDoc: 50, partitions: 16 };
  const digests = (name: ScenarioName) => {
    const stream = createOperationStream({ seed: 7, sessionId: 3, sessionCount: 8, scenario: { ...DEFAULT_SCENARIO_OPTIONS, scenario: name }, dataset });
    const seen: string[] = [];
    for (let i = 1; i <= 5000; i++) {
      stream.next();
      if (i === 1 || i === 777 || i === 5000) seen.push(stream.digest());
    }
    return seen;
  };
  t.deepEqual(digests('noop'), [
    'af5570f5a1810b7af78caf4bc70a660f0df51e42baf91d4de5b2328de0e83dfc',
    '3acab0298adf59e4d7f72767d688fac3c1cb5d2578e101d64d3375c03e4e245b',
    'e7e2dcff542de95352682dc186432e98f0188084896773f1973276b0577d5305',
  ]);
  t.deepEqual(digests('idle'), [
    '2594b6a92ebfb1c3312deb7d01c015fb95e9fbe9bd7bc6b527af07813ec7b910',
    'f8e359005bf022a86faa03d382290283feb7ea868cebdbd4d6185350229a7ec2',
    '0faf348d7984c0f088bf45def644532b93f26da164302c90c2910478119c8776',
  ]);
});
