// Resident memory of a child process, sampled from /proc/<pid>/status (VmRSS) while a phase runs.
import { readFileSync } from 'node:fs';

export function readRssBytes(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null; // the process is gone, or this is not Linux
  }
}

export interface RssSampler {
  /** Highest VmRSS seen since the last reset, in bytes. */
  max(): number;
  /** Highest VmRSS seen since the sampler started, whatever the resets (the whole run's peak). */
  peak(): number;
  current(): number;
  reset(): void;
  stop(): void;
}

export function sampleRss(pid: () => number | undefined, everyMs = 250): RssSampler {
  let max = 0;
  let peak = 0;
  let current = 0;
  const tick = () => {
    const rss = readRssBytes(pid());
    if (rss === null) return;
    current = rss;
    if (rss > max) max = rss;
    if (rss > peak) peak = rss;
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    max: () => max,
    peak: () => peak,
    current: () => current,
    reset: () => {
      tick();
      max = current;
    },
    stop: () => clearInterval(timer),
  };
}
