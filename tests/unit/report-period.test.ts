import { describe, expect, it } from 'vitest';
import { lastEndedPeriod, reportPeriodAt, resolveReportPeriod, utcDaysOf } from '../../domain/report-period';
import { envSchema } from '../../config/env';
import { alertLinks, consolePaths } from '../../domain/console-links';

const D = 86_400_000;
const iso = (at: Date) => at.toISOString();

describe('reportPeriodAt: [M + k·R, M + (k+1)·R) with M = Monday 1970-01-05', () => {
  it.each([
    // at, interval, start, end
    ['2026-12-01T19:40:00.000Z', 7 * D, '2026-11-30T00:00:00.000Z', '2026-12-07T00:00:00.000Z'], // a Tuesday: the week from Monday
    ['2026-11-30T00:00:00.000Z', 7 * D, '2026-11-30T00:00:00.000Z', '2026-12-07T00:00:00.000Z'], // Monday midnight starts a period
    ['2026-11-29T23:59:59.999Z', 7 * D, '2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z'], // Sunday's last millisecond ends one
    ['1970-01-05T00:00:00.000Z', 7 * D, '1970-01-05T00:00:00.000Z', '1970-01-12T00:00:00.000Z'], // M itself, k = 0
    ['1970-01-01T00:00:00.000Z', 7 * D, '1969-12-29T00:00:00.000Z', '1970-01-05T00:00:00.000Z'], // before M: k = -1
    ['2026-12-01T19:40:07.500Z', 5_000, '2026-12-01T19:40:05.000Z', '2026-12-01T19:40:10.000Z'], // seconds, as the tests use
    ['2026-12-01T19:40:00.000Z', D, '2026-12-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z'], // daily
    ['2026-12-01T19:40:00.000Z', 14 * D, '2026-11-23T00:00:00.000Z', '2026-12-07T00:00:00.000Z'], // fortnightly, from M
  ])('%s every %d ms is [%s, %s)', (at, interval, start, end) => {
    const period = reportPeriodAt(new Date(at), interval);
    expect([iso(period.start), iso(period.end)]).toEqual([start, end]);
  });

  it('names the last ended period: the one a report is sent for', () => {
    const period = lastEndedPeriod(new Date('2026-11-30T00:00:00.000Z'), 7 * D);
    expect([iso(period.start), iso(period.end)]).toEqual(['2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z']);
  });

  it('refuses a zero or negative interval', () => {
    expect(() => reportPeriodAt(new Date(), 0)).toThrow(RangeError);
    expect(() => reportPeriodAt(new Date(), -1)).toThrow(RangeError);
  });
});

describe('utcDaysOf', () => {
  it.each([
    ['2026-11-10T06:00:00Z', '2026-11-17T06:00:00Z', ['2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13', '2026-11-14', '2026-11-15', '2026-11-16', '2026-11-17']],
    ['2026-11-10T00:00:00Z', '2026-11-12T00:00:00Z', ['2026-11-10', '2026-11-11']],
    ['2026-11-10T23:59:59.999Z', '2026-11-11T00:00:00.001Z', ['2026-11-10', '2026-11-11']],
    ['2026-12-31T12:00:00Z', '2027-01-01T12:00:00Z', ['2026-12-31', '2027-01-01']],
    ['2026-11-10T06:00:00Z', '2026-11-10T06:00:00Z', []],
  ])('[%s, %s) touches %j', (from, to, days) => {
    expect(utcDaysOf(new Date(from), new Date(to))).toEqual(days);
  });
});

describe('resolveReportPeriod', () => {
  const now = new Date('2026-12-01T12:00:00.000Z');
  const d = (text: string) => new Date(text);
  it.each([
    ['nothing: the last 7 days', {}, '2026-11-24T12:00:00.000Z', '2026-12-01T12:00:00.000Z'],
    ['only to: the 7 days before it', { to: d('2026-11-10T00:00:00Z') }, '2026-11-03T00:00:00.000Z', '2026-11-10T00:00:00.000Z'],
    ['only from: up to now', { from: d('2026-11-01T00:00:00Z') }, '2026-11-01T00:00:00.000Z', '2026-12-01T12:00:00.000Z'],
    ['exactly 90 days', { from: d('2026-09-02T12:00:00Z'), to: now }, '2026-09-02T12:00:00.000Z', '2026-12-01T12:00:00.000Z'],
    ['an empty period', { from: now, to: now }, '2026-12-01T12:00:00.000Z', '2026-12-01T12:00:00.000Z'],
  ])('%s', (_, input, from, to) => {
    const period = resolveReportPeriod(input, now);
    expect(period).toEqual({ ok: true, from: d(from), to: d(to) });
  });

  it.each([
    ['from after to', { from: d('2026-11-02T00:00:00Z'), to: d('2026-11-01T00:00:00Z') }, /after/],
    ['from in the future with no to', { from: d('2026-12-02T00:00:00Z') }, /after/],
    ['90 days and a millisecond', { from: d('2026-09-02T11:59:59.999Z'), to: now }, /90 days/],
    ['a period before 1970', { to: d('1970-01-03T00:00:00Z') }, /1970/],
    ['a period after 9999', { from: d('9999-12-31T00:00:00Z'), to: d('+010000-01-01T00:00:00Z') }, /9999/],
  ])('refuses %s', (_, input, problem) => {
    const period = resolveReportPeriod(input, now);
    expect(period.ok).toBe(false);
    if (!period.ok) expect(period.problem).toMatch(problem);
  });
});

describe('REPORT_INTERVAL', () => {
  it('defaults to 7 days and accepts seconds', () => {
    expect(envSchema.parse({}).REPORT_INTERVAL).toBe(7 * D);
    expect(envSchema.parse({ REPORT_INTERVAL: '5s' }).REPORT_INTERVAL).toBe(5_000);
    expect(envSchema.safeParse({ REPORT_INTERVAL: 'weekly' }).success).toBe(false);
  });
});

describe('console links', () => {
  it('point at console pages under PUBLIC_URL, ids encoded', () => {
    expect(alertLinks('https://m.example.com/', { vaultId: 'prod', id: 'a-1', workloadType: 'AzureWorkload', entityName: 'sql-01/Sales Db' })).toEqual({
      alert: 'https://m.example.com/console/vaults/prod/alerts/a-1',
      item: 'https://m.example.com/console/vaults/prod/items/AzureWorkload/sql-01%2FSales%20Db',
      vault: 'https://m.example.com/console/vaults/prod',
    });
    expect(consolePaths.alerts('prod', { status: 'Active', from: undefined })).toBe('/console/vaults/prod/alerts?status=Active');
  });
});
