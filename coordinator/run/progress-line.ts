/**
 * A live status line on stderr: rewritten in place on a TTY, otherwise printed as a plain line at
 * most every `plainEveryMs` so that logs stay readable.
 */
export interface ProgressLine {
  update(text: string): void;
  /** Clears the live line and prints a final line, if given. */
  done(finalText?: string): void;
}

export function createProgressLine(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  plainEveryMs = 5000,
  now: () => number = Date.now,
): ProgressLine {
  const tty = stream.isTTY === true;
  let lastPlain = -Infinity;
  let shown = false;
  return {
    update(text) {
      if (tty) {
        stream.write(`\r\x1b[2K${text}`);
        shown = true;
        return;
      }
      const t = now();
      if (t - lastPlain >= plainEveryMs) {
        stream.write(`${text}\n`);
        lastPlain = t;
      }
    },
    done(finalText) {
      if (tty && shown) stream.write('\r\x1b[2K');
      if (finalText !== undefined) stream.write(`${finalText}\n`);
    },
  };
}
