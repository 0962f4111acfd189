import { describe, expect, it } from 'vitest';
import {
  nextBoundary, nextReleaseAt, occurrenceAt, parseSilenceInput, silenceMatches, silenceStatus, upcomingOccurrences,
  type SilenceWindow,
} from '../../domain/silences';

const t = (iso: string) => new Date(iso);
const NOW = t('2026-06-01T12:00:00.000Z');

function window(input: Parameters<typeof parseSilenceInput>[0], now = NOW): SilenceWindow {
  const parsed = parseSilenceInput(input, now);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.window;
}

describe('parseSilenceInput', () => {
  it.each<[string, Parameters<typeof parseSilenceInput>[0], RegExp]>([
    ['a one-off window without endsAt', {}, /endsAt: required/],
    ['endsAt before startsAt', { startsAt: t('2026-06-01T13:00:00Z'), endsAt: t('2026-06-01T12:30:00Z') }, /after startsAt/],
    ['endsAt equal to startsAt', { startsAt: t('2026-06-01T13:00:00Z'), endsAt: t('2026-06-01T13:00:00Z') }, /after startsAt/],
    ['endsAt in the past', { startsAt: t('2026-06-01T10:00:00Z'), endsAt: t('2026-06-01T11:00:00Z') }, /in the future/],
    ['duration without rrule', { endsAt: t('2026-06-01T13:00:00Z'), duration: '1h' }, /only with rrule/],
    ['rrule without duration', { rrule: 'FREQ=DAILY' }, /duration: required/],
    ['a malformed duration', { rrule: 'FREQ=DAILY', duration: 'soon' }, /duration: must be/],
    ['a duration over 90 days', { rrule: 'FREQ=DAILY', duration: '91d' }, /duration: must be/],
    ['an unknown FREQ', { rrule: 'FREQ=FORTNIGHTLY', duration: '1h' }, /rrule/],
    ['an unknown part', { rrule: 'FREQ=DAILY;FOO=1', duration: '1h' }, /rrule/],
    ['a bad weekday', { rrule: 'FREQ=WEEKLY;BYDAY=XX', duration: '1h' }, /rrule/],
    ['a DTSTART inside the rule', { rrule: 'DTSTART:20260101T000000Z', duration: '1h' }, /rrule/],
    ['a garbage string', { rrule: 'every saturday', duration: '1h' }, /rrule/],
    ['COUNT with UNTIL', { rrule: 'FREQ=DAILY;COUNT=2;UNTIL=20270101T000000Z', duration: '1h' }, /exclusive/],
    ['INTERVAL=0', { rrule: 'FREQ=DAILY;INTERVAL=0', duration: '1h' }, /rrule/],
    ['a rule too frequent to evaluate', { rrule: 'FREQ=SECONDLY', duration: '1s' }, /occurrences in a year/],
    ['a recurrence starting more than a year ago', { startsAt: t('2025-05-01T00:00:00Z'), rrule: 'FREQ=HOURLY', duration: '1h' }, /at most a year ago/],
    ['a rule whose occurrences are all past', { startsAt: t('2026-05-01T00:00:00Z'), rrule: 'FREQ=DAILY;COUNT=2', duration: '1h' }, /no occurrence left/],
  ])('refuses %s', (_name, input, problem) => {
    const parsed = parseSilenceInput(input, NOW);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.join('; ')).toMatch(problem);
  });

  it('defaults startsAt to now and keeps a one-off window as given', () => {
    expect(parseSilenceInput({ endsAt: t('2026-06-01T13:00:00Z') }, NOW))
      .toEqual({ ok: true, window: { startsAt: NOW, endsAt: t('2026-06-01T13:00:00Z'), rrule: null, durationMs: null, duration: null } });
  });

  it('normalises a recurrence: RRULE: prefix dropped, startsAt on a whole second', () => {
    const parsed = parseSilenceInput({ startsAt: t('2026-06-01T12:00:00.750Z'), rrule: 'RRULE:freq=weekly;byday=sa', duration: '2h' }, NOW);
    expect(parsed).toMatchObject({ ok: true, window: { startsAt: t('2026-06-01T12:00:00.000Z'), rrule: 'FREQ=WEEKLY;BYDAY=SA', durationMs: 7_200_000, duration: '2h' } });
  });

  it('accepts the §2.7 example and bounded second-level rules', () => {
    for (const rrule of ['FREQ=WEEKLY;BYDAY=SA;BYHOUR=1;BYMINUTE=0;BYSECOND=0', 'FREQ=SECONDLY;INTERVAL=10;COUNT=5', 'FREQ=MINUTELY;BYSECOND=0,30;COUNT=10']) {
      expect(parseSilenceInput({ rrule, duration: '5s' }, NOW).ok, rrule).toBe(true);
    }
  });
});

describe('status, occurrences and boundaries', () => {
  const oneOff = window({ startsAt: t('2026-06-01T13:00:00Z'), endsAt: t('2026-06-01T14:00:00Z') });
  // Every 10 s from 12:00:00 for 5 occurrences, each lasting 4 s: active [0,4) [10,14) … [40,44).
  const seconds = window({ startsAt: t('2026-06-01T12:00:00Z'), rrule: 'FREQ=SECONDLY;INTERVAL=10;COUNT=5', duration: '4s' });
  // BYSECOND: at :00 and :30 of every minute, 3 s each, 4 occurrences.
  const bySecond = window({ startsAt: t('2026-06-01T12:00:00Z'), rrule: 'FREQ=MINUTELY;BYSECOND=0,30;COUNT=4', duration: '3s' });
  const weekly = window({ startsAt: t('2026-06-01T00:00:00Z'), rrule: 'FREQ=WEEKLY;BYDAY=SA;BYHOUR=1;BYMINUTE=0;BYSECOND=0', duration: '2h' });

  it.each<[string, SilenceWindow, string, string, string | null]>([
    ['one-off before its start', oneOff, '2026-06-01T12:59:59.999Z', 'Pending', '2026-06-01T13:00:00.000Z'],
    ['one-off at its start', oneOff, '2026-06-01T13:00:00.000Z', 'Active', '2026-06-01T14:00:00.000Z'],
    ['one-off just before its end', oneOff, '2026-06-01T13:59:59.999Z', 'Active', '2026-06-01T14:00:00.000Z'],
    ['one-off at its end', oneOff, '2026-06-01T14:00:00.000Z', 'Expired', null],
    ['secondly, first occurrence', seconds, '2026-06-01T12:00:00.000Z', 'Active', '2026-06-01T12:00:04.000Z'],
    ['secondly, between occurrences', seconds, '2026-06-01T12:00:04.000Z', 'Pending', '2026-06-01T12:00:10.000Z'],
    ['secondly, second occurrence', seconds, '2026-06-01T12:00:13.999Z', 'Active', '2026-06-01T12:00:14.000Z'],
    ['secondly, last occurrence', seconds, '2026-06-01T12:00:41.000Z', 'Active', '2026-06-01T12:00:44.000Z'],
    ['secondly, after the COUNT', seconds, '2026-06-01T12:00:44.000Z', 'Expired', null],
    ['secondly, where a sixth would be', seconds, '2026-06-01T12:00:51.000Z', 'Expired', null],
    ['BYSECOND, at :30', bySecond, '2026-06-01T12:00:31.000Z', 'Active', '2026-06-01T12:00:33.000Z'],
    ['BYSECOND, at :20', bySecond, '2026-06-01T12:00:20.000Z', 'Pending', '2026-06-01T12:00:30.000Z'],
    ['BYSECOND, fourth occurrence', bySecond, '2026-06-01T12:01:32.500Z', 'Active', '2026-06-01T12:01:33.000Z'],
    ['weekly, on a Saturday at 02:00', weekly, '2026-06-06T02:00:00.000Z', 'Active', '2026-06-06T03:00:00.000Z'],
    ['weekly, on a Saturday at 03:00', weekly, '2026-06-06T03:00:00.000Z', 'Pending', '2026-06-13T01:00:00.000Z'],
    ['weekly, on a Friday', weekly, '2026-06-05T02:00:00.000Z', 'Pending', '2026-06-06T01:00:00.000Z'],
  ])('%s (%s)', (_name, w, at, status, boundary) => {
    expect(silenceStatus(w, t(at))).toBe(status);
    expect(nextBoundary(w, t(at))?.toISOString() ?? null).toBe(boundary);
  });

  it('a deleted silence is Expired from its deletion, and its occurrence in force ends there', () => {
    const deleted = { ...seconds, deletedAt: t('2026-06-01T12:00:12.000Z') };
    expect(silenceStatus(deleted, t('2026-06-01T12:00:11.000Z'))).toBe('Active');
    expect(occurrenceAt(deleted, t('2026-06-01T12:00:11.000Z'))?.end).toEqual(t('2026-06-01T12:00:12.000Z'));
    expect(silenceStatus(deleted, t('2026-06-01T12:00:12.000Z'))).toBe('Expired');
    expect(silenceStatus(deleted, t('2026-06-01T12:00:20.000Z'))).toBe('Expired');
  });

  it('endsAt bounds a recurrence', () => {
    const bounded = window({ startsAt: t('2026-06-01T12:00:00Z'), endsAt: t('2026-06-01T12:00:12Z'), rrule: 'FREQ=SECONDLY;INTERVAL=10', duration: '4s' }, NOW);
    expect(upcomingOccurrences(bounded, NOW, 10).map((o) => [o.start.toISOString().slice(17), o.end.toISOString().slice(17)]))
      .toEqual([['00.000Z', '04.000Z'], ['10.000Z', '12.000Z']]);
  });

  it('releases at the end of the occurrence in force, else of the next one', () => {
    expect(nextReleaseAt(seconds, t('2026-06-01T12:00:02Z'))).toEqual(t('2026-06-01T12:00:04Z'));
    expect(nextReleaseAt(seconds, t('2026-06-01T12:00:05Z'))).toEqual(t('2026-06-01T12:00:14Z'));
    expect(nextReleaseAt(seconds, t('2026-06-01T12:00:45Z'))).toBeNull();
    expect(nextReleaseAt(oneOff, NOW)).toEqual(t('2026-06-01T14:00:00Z'));
  });

  it('previews the next occurrences', () => {
    expect(upcomingOccurrences(weekly, t('2026-06-06T02:00:00Z'), 3).map((o) => o.start.toISOString()))
      .toEqual(['2026-06-06T01:00:00.000Z', '2026-06-13T01:00:00.000Z', '2026-06-20T01:00:00.000Z']);
  });
});

describe('silenceMatches', () => {
  const alert = { entityName: 'vm-01', workloadType: 'AzureVM', scenario: 'BackupFailure', severity: 'Critical' } as const;
  it.each<[string, object, boolean]>([
    ['an empty match covers the vault', {}, true],
    ['the same item', { entityName: 'vm-01' }, true],
    ['another item', { entityName: 'vm-02' }, false],
    ['every matcher equal', { entityName: 'vm-01', workloadType: 'AzureVM', scenario: 'BackupFailure', severity: 'Critical' }, true],
    ['one matcher differs', { entityName: 'vm-01', workloadType: 'AzureVM', scenario: 'BackupFailure', severity: 'Warning' }, false],
    ['the workload only', { workloadType: 'AzureVM' }, true],
    ['another workload', { workloadType: 'MAB' }, false],
    ['another scenario', { scenario: 'RestoreFailure' }, false],
    ['entity names are exact', { entityName: 'VM-01' }, false],
  ])('%s', (_name, match, expected) => {
    expect(silenceMatches(match, alert)).toBe(expected);
  });
});
