// §2.8 report periods and the calendar arithmetic behind reports: pure, tested as tables.

/** Monday 1970-01-05 00:00 UTC: periods of a multiple of 7 days then run Monday to Monday. */
export const REPORT_EPOCH_MS = Date.UTC(1970, 0, 5);
export const DAY_MS = 86_400_000;
/** The longest report period (§2.8, §4). */
export const MAX_REPORT_SPAN_MS = 90 * DAY_MS;
/** The default period of `GET …/report`: the last 7 days. */
export const DEFAULT_REPORT_SPAN_MS = 7 * DAY_MS;

export interface Period {
  start: Date;
  end: Date;
}

/** The period `[M + k·R, M + (k+1)·R)` that contains `at` (before M too: k may be negative). */
export function reportPeriodAt(at: Date, intervalMs: number): Period {
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new RangeError(`report interval must be positive, got ${intervalMs}`);
  const k = Math.floor((at.getTime() - REPORT_EPOCH_MS) / intervalMs);
  const start = REPORT_EPOCH_MS + k * intervalMs;
  return { start: new Date(start), end: new Date(start + intervalMs) };
}

/** The last period that has ended by `at`: the one a report is sent for at that moment. */
export function lastEndedPeriod(at: Date, intervalMs: number): Period {
  const current = reportPeriodAt(at, intervalMs);
  return { start: new Date(current.start.getTime() - intervalMs), end: current.start };
}

/** The UTC midnight at or before `at`. */
export const floorDay = (at: Date): Date => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
/** The UTC midnight at or after `at`. */
export const ceilDay = (at: Date): Date => new Date(Math.ceil(at.getTime() / DAY_MS) * DAY_MS);

export const dayKey = (at: Date): string => at.toISOString().slice(0, 10);

/** Every UTC day that `[from, to)` touches, oldest first (`YYYY-MM-DD`); none when it is empty. */
export function utcDaysOf(from: Date, to: Date): string[] {
  const days: string[] = [];
  if (to.getTime() <= from.getTime()) return days;
  for (let day = floorDay(from).getTime(); day < to.getTime(); day += DAY_MS) days.push(dayKey(new Date(day)));
  return days;
}

const MAX_REPORT_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export type PeriodCheck = { ok: true; from: Date; to: Date } | { ok: false; problem: string };

/**
 * The period `[from, to)` of a report request: `to` defaults to now and `from` to 7 days before
 * `to`; `from` after `to` and spans over 90 days are refused. `from = to` is an empty report.
 */
export function resolveReportPeriod(input: { from?: Date; to?: Date }, now: Date): PeriodCheck {
  const to = input.to ?? now;
  const from = input.from ?? new Date(to.getTime() - DEFAULT_REPORT_SPAN_MS);
  // Nothing was backed up before 1970, and Postgres refuses year 0 (which 7 days before 0001 is).
  if (from.getTime() < 0 || to.getTime() > MAX_REPORT_TIME_MS) return { ok: false, problem: 'from and to must lie between 1970-01-01 and 9999-12-31' };
  if (from.getTime() > to.getTime()) return { ok: false, problem: `from (${from.toISOString()}) is after to (${to.toISOString()})` };
  if (to.getTime() - from.getTime() > MAX_REPORT_SPAN_MS) return { ok: false, problem: 'a report spans at most 90 days' };
  return { ok: true, from, to };
}
