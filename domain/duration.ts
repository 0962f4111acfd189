const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses `250ms`, `5s`, `10m`, `1h`, `7d` (a bare number is milliseconds); null when malformed. */
export function parseDuration(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!match) return null;
  // Round before the positivity check: `0.4ms` must not slip through as a zero-length timer.
  const value = Math.round(Number(match[1]) * UNIT_MS[(match[2] ?? 'ms') as keyof typeof UNIT_MS]);
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}

/** §4: durations in the contract (policies, silences) lie between 1 s and 90 days. */
export const MIN_CONTRACT_DURATION_MS = 1_000;
export const MAX_CONTRACT_DURATION_MS = 90 * 86_400_000;

/** A contract duration string in range, as milliseconds; null when malformed or out of range. */
export function parseContractDuration(text: string): number | null {
  const ms = parseDuration(text);
  return ms !== null && ms >= MIN_CONTRACT_DURATION_MS && ms <= MAX_CONTRACT_DURATION_MS ? ms : null;
}
