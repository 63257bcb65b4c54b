import test from 'ava';
import { Writable } from 'node:stream';
import { createProgressLine } from '../../../coordinator/run/progress-line.ts';

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = Object.assign(
    new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done(); } }),
    { isTTY },
  );
  return { stream, text: () => chunks.join('') };
}

test('without a TTY, a plain line at most every interval', (t) => {
  const out = capture(false);
  let now = 0;
  const line = createProgressLine(out.stream, 5000, () => now);
  line.update('a');
  now = 1000;
  line.update('b');
  now = 5000;
  line.update('c');
  line.done('final');
  t.is(out.text(), 'a\nc\nfinal\n');
});

test('on a TTY, every update rewrites the line and done clears it', (t) => {
  const out = capture(true);
  const line = createProgressLine(out.stream);
  line.update('a');
  line.update('b');
  line.done();
  t.is(out.text(), '\r\x1b[2Ka\r\x1b[2Kb\r\x1b[2K');
});
