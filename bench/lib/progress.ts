// One updating status line on a terminal; a line every few seconds when the output is a file.

const tty = Boolean(process.stderr.isTTY);
let lastPlain = 0;
let active = false;

export function progress(text: string): void {
  if (tty) {
    const width = Math.max(20, (process.stderr.columns ?? 100) - 1);
    process.stderr.write(`\r\x1b[2K${text.slice(0, width)}`);
    active = true;
    return;
  }
  const now = Date.now();
  if (now - lastPlain < 5_000) return;
  lastPlain = now;
  process.stderr.write(`  … ${text}\n`);
}

/** Ends the updating line, so the next log starts on a clean line. */
export function progressDone(text?: string): void {
  if (tty && active) process.stderr.write('\r\x1b[2K');
  active = false;
  lastPlain = 0;
  if (text) process.stderr.write(`${text}\n`);
}

export function log(text: string): void {
  progressDone();
  process.stderr.write(`bench | ${text}\n`);
}

export function bar(done: number, total: number, width = 24): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}%`;
}
