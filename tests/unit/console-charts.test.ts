import { describe, expect, it } from 'vitest';
import { chartSummary, dayDescription, niceMax } from '../../api/console/charts';
import { relativeTime } from '../../api/console/components';
import { formatRate, formatSpan, jobTotals } from '../../domain/report';

const day = (d: string, Completed: number, CompletedWithWarnings: number, Failed: number, Cancelled: number) => ({ day: d, Completed, CompletedWithWarnings, Failed, Cancelled });

describe('chart helpers', () => {
  it.each([[0, 1], [1, 1], [3, 5], [7, 10], [11, 20], [199, 200], [201, 500], [1000, 1000]])('niceMax(%d) = %d', (n, max) => {
    expect(niceMax(n)).toBe(max);
  });

  it('describes a day and the period in words (the text alternative)', () => {
    const days = [day('2026-11-30', 8, 1, 1, 0), day('2026-12-01', 2, 0, 0, 3)];
    expect(dayDescription(days[0]!)).toBe('2026-11-30: 8 completed, 1 with warnings, 1 failed, 0 cancelled; job success 90.0 %');
    expect(chartSummary(days, 0.9)).toBe('15 jobs finished from 2026-11-30 to 2026-12-01: 10 completed, 1 with warnings, 1 failed, 3 cancelled. ' +
      'Backup success rate 90.0 %. Busiest day 2026-11-30 with 10 jobs.');
    expect(jobTotals({ jobsByDay: days })).toEqual({ Completed: 10, CompletedWithWarnings: 1, Failed: 1, Cancelled: 3, total: 15 });
  });
});

describe('figures', () => {
  it.each([[null, '—'], [1, '100.0 %'], [0.9999, '99.9 %'], [0.98125, '98.1 %'], [0, '0.0 %']])('formatRate(%s) = %s', (rate, text) => {
    expect(formatRate(rate)).toBe(text);
  });
  it.each([[null, '—'], [45_000, '45 s'], [12 * 60_000, '12 min'], [90 * 60_000, '1 h 30 min'], [3 * 3_600_000, '3 h'], [50 * 3_600_000, '2 d 2 h']])('formatSpan(%s) = %s', (ms, text) => {
    expect(formatSpan(ms)).toBe(text);
  });
  const now = Date.parse('2026-12-01T12:00:00Z');
  it.each([
    ['2026-12-01T11:59:30Z', 'just now'], ['2026-12-01T11:56:00Z', '4 min ago'], ['2026-12-01T09:00:00Z', '3 h ago'],
    ['2026-11-29T12:00:00Z', '2 d ago'], ['2026-11-01T12:00:00Z', '2026-11-01'], ['2026-12-01T12:10:00Z', 'in 10 min'],
  ])('relativeTime(%s) = %s', (iso, text) => {
    expect(relativeTime(iso, now)).toBe(text);
  });
});
