const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** Parses `250ms`, `5s`, `10m`, `1h` (a bare number is milliseconds); null when malformed. */
export function parseDuration(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!match) return null;
  // Round before the positivity check: `0.4ms` must not slip through as a zero-length timer.
  const value = Math.round(Number(match[1]) * UNIT_MS[(match[2] ?? 'ms') as keyof typeof UNIT_MS]);
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}
