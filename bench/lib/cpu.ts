// CPU time of processes (user + system, all threads) from /proc/<pid>/stat, to see where a
// phase's time goes: worker, API, Temporal server, Postgres backends, the bench itself.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime
  } catch {
    return 0;
  }
}

/** The pid whose command line contains every one of `parts`, or undefined. */
export function findPid(...parts: string[]): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (parts.every((part) => cmd.includes(part))) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

export interface CpuMeter {
  /** CPU seconds per named process since the last mark. */
  since(): Record<string, number>;
  mark(): void;
}

export function cpuMeter(pids: Record<string, () => number | number[] | undefined>): CpuMeter {
  const read = () => Object.fromEntries(Object.entries(pids).map(([name, pid]) => {
    const value = pid();
    const list = Array.isArray(value) ? value : [value];
    return [name, list.reduce((sum: number, p) => sum + cpuSeconds(p), 0)];
  }));
  let base = read();
  return {
    since: () => {
      const now = read();
      return Object.fromEntries(Object.keys(now).map((name) => [name, Math.max(0, now[name]! - (base[name] ?? 0))]));
    },
    mark: () => void (base = read()),
  };
}
