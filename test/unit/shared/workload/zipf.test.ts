import test from 'ava';
import { sessionStream } from '../../../../shared/random.ts';
import { zipfSampler } from '../../../../shared/workload/zipf.ts';
import { PICK_TRIES, targetPicker } from '../../../../shared/workload/target-picker.ts';

function counts(n: number, exponent: number, draws: number, seed: number): Map<number, number> {
  const sampler = zipfSampler(n, exponent);
  const rng = sessionStream(seed, 0);
  const counted = new Map<number, number>();
  for (let i = 0; i < draws; i++) {
    const k = sampler.sample(rng);
    counted.set(k, (counted.get(k) ?? 0) + 1);
  }
  return counted;
}

for (const exponent of [0.5, 1, 1.5, 2]) {
  test(`zipf:${exponent}: rank 1 is drawn 2^S times as often as rank 2, rank 1 4^S times rank 4 (within 5%)`, (t) => {
    const counted = counts(1000, exponent, 400_000, 97);
    const ratio12 = counted.get(1)! / counted.get(2)!;
    const ratio14 = counted.get(1)! / counted.get(4)!;
    t.true(Math.abs(ratio12 / 2 ** exponent - 1) < 0.05, `rank 1 / rank 2 = ${ratio12.toFixed(3)}, expected ${(2 ** exponent).toFixed(3)}`);
    t.true(Math.abs(ratio14 / 4 ** exponent - 1) < 0.05, `rank 1 / rank 4 = ${ratio14.toFixed(3)}, expected ${(4 ** exponent).toFixed(3)}`);
  });
}

test('zipf: every draw is a rank in 1..n, on a tiny and a huge n', (t) => {
  for (const n of [1, 2, 3, 50_000_000]) {
    const sampler = zipfSampler(n, 1.2);
    const rng = sessionStream(1, n);
    for (let i = 0; i < 10_000; i++) {
      const k = sampler.sample(rng);
      if (!(Number.isInteger(k) && k >= 1 && k <= n)) return t.fail(`rank ${k} outside 1..${n}`);
    }
  }
  t.pass();
});

test('zipf: the same stream gives the same ranks', (t) => {
  const draw = () => Array.from({ length: 100 }, ((s, rng) => () => s.sample(rng))(zipfSampler(1000, 1.1), sessionStream(5, 2)));
  t.deepEqual(draw(), draw());
});

test('zipf: an exponent or n out of range is refused', (t) => {
  t.throws(() => zipfSampler(10, 0), { instanceOf: RangeError });
  t.throws(() => zipfSampler(0, 1), { instanceOf: RangeError });
});

test(`target picker: never an excluded id; past ${PICK_TRIES} tries of a steep skew it still finds the free ones`, (t) => {
  const picker = targetPicker(100, 8);
  const rng = sessionStream(3, 0);
  const excluded = new Set<number>();
  for (let k = 0; k < 99; k++) {
    const id = picker.pick(rng, excluded);
    t.false(excluded.has(id));
    excluded.add(id);
  }
  t.is(excluded.size, 99);
  t.throws(() => picker.pick(rng, new Set(Array.from({ length: 100 }, (_, i) => i + 1))), { instanceOf: RangeError });
});
