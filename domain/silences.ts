// §2.7 maintenance windows, pure: what a silence's input means, when it is active, what it covers.
// Recurrences are RFC 5545 RRULEs evaluated by the `rrule` package in UTC, from `startsAt`
// (DTSTART), each occurrence lasting `duration`; the clock is always an argument.
import { createRequire } from 'node:module';
import type * as RRuleModule from 'rrule';
import { parseContractDuration } from './duration';
import type { SilenceMatch } from './model';
import type { Scenario, Severity, WorkloadType } from './types';

// The package's ESM build is not importable by Node (no `exports` map); its CommonJS build is.
const { RRule } = createRequire(import.meta.url)('rrule') as typeof RRuleModule;
type Rule = InstanceType<typeof RRule>;

export const SILENCE_STATUSES = ['Pending', 'Active', 'Expired'] as const;
export type SilenceStatus = (typeof SILENCE_STATUSES)[number];

/** What the rules need of a stored silence. */
export interface SilenceWindow {
  startsAt: Date;
  endsAt: Date | null;
  rrule: string | null;
  durationMs: number | null;
  deletedAt?: Date | null;
}

export interface Occurrence {
  start: Date;
  end: Date;
}

/** A recurrence may not start more often than this in its first year: evaluation stays cheap. */
export const MAX_OCCURRENCES_PER_YEAR = 10_000;
const YEAR_MS = 366 * 86_400_000;
const RULE_PART = /^(FREQ|INTERVAL|COUNT|UNTIL|BYSECOND|BYMINUTE|BYHOUR|BYDAY|BYMONTHDAY|BYYEARDAY|BYWEEKNO|BYMONTH|BYSETPOS|WKST)=[A-Z0-9,+-]+$/;

/** Parses the RRULE value (an optional `RRULE:` prefix allowed); DTSTART comes from startsAt. */
export function parseRrule(text: string, startsAt: Date): { ok: true; rule: Rule } | { ok: false; problem: string } {
  const body = text.trim().replace(/^RRULE:/i, '').toUpperCase();
  const parts = body.split(';');
  const bad = parts.find((part) => !RULE_PART.test(part));
  if (bad !== undefined) return { ok: false, problem: `rrule: "${bad}" is not an RRULE part (DTSTART is startsAt; times are UTC)` };
  const keys = parts.map((part) => part.split('=')[0]);
  if (new Set(keys).size !== keys.length) return { ok: false, problem: 'rrule: a part is repeated' };
  if (keys.includes('COUNT') && keys.includes('UNTIL')) return { ok: false, problem: 'rrule: COUNT and UNTIL are exclusive' };
  try {
    const options = RRule.parseString(body);
    const values = (Object.values(options) as unknown[]).flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [v]));
    if (typeof options.freq !== 'number' || values.some((v) => v === undefined || (typeof v === 'number' && !Number.isFinite(v)))) {
      return { ok: false, problem: 'rrule: FREQ and every part must have a valid value' };
    }
    if (options.interval !== undefined && options.interval < 1) return { ok: false, problem: 'rrule: INTERVAL must be at least 1' };
    return { ok: true, rule: new RRule({ ...options, dtstart: startsAt, tzid: null }) };
  } catch (error) {
    return { ok: false, problem: `rrule: ${(error as Error).message}` };
  }
}

export interface SilenceInput {
  startsAt?: Date;
  endsAt?: Date;
  rrule?: string;
  duration?: string;
}

export type ParsedSilence =
  | { ok: true; window: SilenceWindow & { duration: string | null } }
  | { ok: false; problems: string[] };

/** Validates a create request: ordering, duration, RRULE, and that the window is ever active. */
export function parseSilenceInput(input: SilenceInput, now: Date): ParsedSilence {
  const problems: string[] = [];
  const recurring = input.rrule !== undefined;
  // Recurrences run on whole seconds (the rrule package drops milliseconds after the first).
  const given = input.startsAt ?? now;
  const startsAt = recurring ? new Date(Math.floor(given.getTime() / 1000) * 1000) : given;
  const endsAt = input.endsAt ?? null;
  let durationMs: number | null = null;
  if (recurring) {
    if (input.duration === undefined) problems.push('duration: required with rrule (how long each occurrence lasts)');
    else if ((durationMs = parseContractDuration(input.duration)) === null) problems.push('duration: must be a duration such as 90s, 30m or 2h, between 1s and 90d');
  } else {
    if (input.duration !== undefined) problems.push('duration: only with rrule; a one-off window takes endsAt');
    if (endsAt === null) problems.push('endsAt: required for a one-off window (or give rrule and duration)');
  }
  // Occurrences are counted from DTSTART on every evaluation: an old DTSTART would make each one slow.
  if (recurring && startsAt.getTime() < now.getTime() - YEAR_MS) problems.push('startsAt: a recurrence may start at most a year ago');
  if (endsAt && endsAt <= startsAt) problems.push('endsAt: must be after startsAt');
  if (endsAt && endsAt <= now) problems.push('endsAt: must be in the future');
  if (problems.length > 0) return { ok: false, problems };

  const window = { startsAt, endsAt, rrule: recurring ? input.rrule!.trim().replace(/^RRULE:/i, '').toUpperCase() : null, durationMs, duration: recurring ? input.duration! : null };
  if (recurring) {
    const parsed = parseRrule(input.rrule!, startsAt);
    if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
    let count = 0;
    const horizon = Math.min(startsAt.getTime() + YEAR_MS, endsAt?.getTime() ?? Number.POSITIVE_INFINITY);
    parsed.rule.between(startsAt, new Date(horizon), true, () => ++count <= MAX_OCCURRENCES_PER_YEAR);
    if (count > MAX_OCCURRENCES_PER_YEAR) return { ok: false, problems: [`rrule: more than ${MAX_OCCURRENCES_PER_YEAR} occurrences in a year; use a coarser rule or COUNT`] };
    if (silenceStatus(window, now) === 'Expired') return { ok: false, problems: ['rrule: the recurrence has no occurrence left from now'] };
  }
  return { ok: true, window };
}

const ruleCache = new Map<string, Rule>();
function ruleOf(window: SilenceWindow): Rule | null {
  if (!window.rrule) return null;
  const key = `${window.startsAt.toISOString()}|${window.rrule}`;
  let rule = ruleCache.get(key);
  if (!rule) {
    const parsed = parseRrule(window.rrule, window.startsAt);
    if (!parsed.ok) return null; // stored rules were validated on create
    rule = parsed.rule;
    if (ruleCache.size > 1_000) ruleCache.clear();
    ruleCache.set(key, rule);
  }
  return rule;
}

/** Nothing of the silence exists at or after this instant: its endsAt or its deletion. */
function cutoffOf(window: SilenceWindow): number {
  const ends = [window.endsAt, window.deletedAt].filter((d): d is Date => d instanceof Date).map((d) => d.getTime());
  return ends.length > 0 ? Math.min(...ends) : Number.POSITIVE_INFINITY;
}

function clip(startMs: number, endMs: number, cutoff: number): Occurrence | null {
  if (startMs >= cutoff) return null;
  return { start: new Date(startMs), end: new Date(Math.min(endMs, cutoff)) };
}

/** The occurrence in force at `at` (start inclusive, end exclusive), or null. */
export function occurrenceAt(window: SilenceWindow, at: Date): Occurrence | null {
  const cutoff = cutoffOf(window);
  const t = at.getTime();
  const rule = ruleOf(window);
  if (!rule) {
    const o = clip(window.startsAt.getTime(), window.endsAt?.getTime() ?? cutoff, cutoff);
    return o && o.start.getTime() <= t && t < o.end.getTime() ? o : null;
  }
  // Occurrences all last the same: the latest start at or before `at` is the one that ends last.
  const start = rule.before(at, true);
  if (!start) return null;
  const o = clip(start.getTime(), start.getTime() + window.durationMs!, cutoff);
  return o && t < o.end.getTime() ? o : null;
}

/** The first occurrence that starts after `at`, or null. */
export function nextOccurrence(window: SilenceWindow, at: Date): Occurrence | null {
  const cutoff = cutoffOf(window);
  const rule = ruleOf(window);
  if (!rule) return window.startsAt > at ? clip(window.startsAt.getTime(), window.endsAt?.getTime() ?? cutoff, cutoff) : null;
  const start = rule.after(at, false);
  return start ? clip(start.getTime(), start.getTime() + window.durationMs!, cutoff) : null;
}

/** §2.7: computed from the clock when read. Between two occurrences a recurrence is Pending. */
export function silenceStatus(window: SilenceWindow, at: Date): SilenceStatus {
  if (window.deletedAt && window.deletedAt <= at) return 'Expired';
  if (occurrenceAt(window, at)) return 'Active';
  return nextOccurrence(window, at) ? 'Pending' : 'Expired';
}

/** The next instant after `at` at which the status changes (an occurrence starts or ends), or null. */
export function nextBoundary(window: SilenceWindow, at: Date): Date | null {
  const current = occurrenceAt(window, at);
  if (current) return current.end;
  return nextOccurrence(window, at)?.start ?? null;
}

/** When the silence must next release what it suppressed: the end of the occurrence in force or next. */
export function nextReleaseAt(window: SilenceWindow, at: Date): Date | null {
  return (occurrenceAt(window, at) ?? nextOccurrence(window, at))?.end ?? null;
}

/** Up to `count` occurrences in force at or after `at` (the console's preview). */
export function upcomingOccurrences(window: SilenceWindow, at: Date, count: number): Occurrence[] {
  const list: Occurrence[] = [];
  let next = occurrenceAt(window, at) ?? nextOccurrence(window, at);
  while (next && list.length < count) {
    list.push(next);
    next = nextOccurrence(window, next.start);
  }
  return list;
}

export interface SilenceSubject {
  entityName: string;
  workloadType: WorkloadType;
  scenario: Scenario;
  severity: Severity;
}

/** Every matcher given must equal the alert's value; an empty match covers the whole vault. */
export function silenceMatches(match: SilenceMatch, alert: SilenceSubject): boolean {
  return (Object.keys(match) as (keyof SilenceMatch)[]).every((key) => match[key] === undefined || match[key] === alert[key]);
}
