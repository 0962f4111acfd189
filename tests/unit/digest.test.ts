import { describe, expect, it } from 'vitest';
import { digestContents, digestWindow, routeNewAlert, type DigestAlert, type NotificationSettingsFacts } from '../../domain/digest';
import { FREQUENCIES } from '../../domain/types';

const H = 3_600_000;
const M = 60_000;
const at = (iso: string) => Date.parse(iso);

describe('digestWindow', () => {
  it.each([
    ['inside an hour', at('2024-05-01T10:17:42.123Z'), H, '2024-05-01T10:00:00.000Z', '2024-05-01T11:00:00.000Z'],
    ['exactly on a boundary starts the next window', at('2024-05-01T11:00:00.000Z'), H, '2024-05-01T11:00:00.000Z', '2024-05-01T12:00:00.000Z'],
    ['one ms before a boundary', at('2024-05-01T10:59:59.999Z'), H, '2024-05-01T10:00:00.000Z', '2024-05-01T11:00:00.000Z'],
    ['midnight', at('2024-05-02T00:00:00.000Z'), H, '2024-05-02T00:00:00.000Z', '2024-05-02T01:00:00.000Z'],
    ['15-minute windows', at('2024-05-01T10:31:00.000Z'), 15 * M, '2024-05-01T10:30:00.000Z', '2024-05-01T10:45:00.000Z'],
    ['7-minute windows count from the epoch, not the hour', at('2024-05-01T11:00:00.000Z'), 7 * M, '2024-05-01T10:56:00.000Z', '2024-05-01T11:03:00.000Z'],
    ['the epoch itself', 0, H, '1970-01-01T00:00:00.000Z', '1970-01-01T01:00:00.000Z'],
  ])('%s', (_name, atMs, interval, start, end) => {
    expect(digestWindow(atMs, interval)).toEqual({ startMs: at(start), endMs: at(end) });
  });

  it('is [k·I, (k+1)·I) for a sweep of instants', () => {
    for (let t = 0; t < 5 * H; t += 7_919) {
      const { startMs, endMs } = digestWindow(t, H);
      expect(startMs % H).toBe(0);
      expect(endMs - startMs).toBe(H);
      expect(t >= startMs && t < endMs).toBe(true);
    }
  });

  it('floors instants before the epoch into their own window', () => {
    expect(digestWindow(-1, H)).toEqual({ startMs: -H, endMs: 0 });
  });

  it.each([0, -H, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects interval %s', (interval) => {
    expect(() => digestWindow(0, interval)).toThrow(RangeError);
  });

  it('rejects a non-finite instant', () => {
    expect(() => digestWindow(Number.NaN, H)).toThrow(RangeError);
  });
});

describe('digestContents', () => {
  const start = at('2024-05-01T10:00:00.000Z');
  const end = start + H;
  type A = DigestAlert & { title?: string };
  const alert = (alertId: string, raisedAt: number | string, extra: Partial<A> = {}): A => ({
    alertId, raisedAt, severity: 'Critical', status: 'Active', ...extra,
  });

  it.each<[string, A[], string]>([
    ['no alerts at all', [], 'EmptyWindow'],
    ['only alerts from the previous window', [alert('a', start - 1)], 'EmptyWindow'],
    ['only alerts raised exactly at the end (next window)', [alert('a', end)], 'EmptyWindow'],
    ['an alert raised and resolved inside the window', [alert('a', start + 5 * M, { status: 'Inactive' })], 'AllResolved'],
    ['resolved via the inactive flag', [alert('a', start + 5 * M, { status: undefined, inactive: true })], 'AllResolved'],
  ])('sends nothing for %s', (_name, alerts, reason) => {
    expect(digestContents({ windowStartMs: start, windowEndMs: end, alerts })).toEqual({ send: false, reason });
  });

  it('lists the alerts raised in the window that are still active, oldest first, with counts', () => {
    const alerts: A[] = [
      alert('late', '2024-05-01T10:59:59.999Z', { severity: 'Warning', title: 'kept extra field' }),
      alert('resolved', start + 10 * M, { status: 'Inactive' }),
      alert('first', start),
      alert('previous', start - 1),
      alert('next', end),
      alert('flagged', start + 20 * M, { inactive: true }),
      alert('noStatus', start + 30 * M, { status: undefined, severity: 'Informational' }),
      alert('mid', start + 30 * M),
    ];
    const result = digestContents({ windowStartMs: start, windowEndMs: end, alerts });
    expect(result.send).toBe(true);
    if (!result.send) return;
    expect(result.reason).toBe('ActiveAlertsInWindow');
    expect(result.alerts.map((a) => a.alertId)).toEqual(['first', 'mid', 'noStatus', 'late']);
    expect(result.alerts[3]?.title).toBe('kept extra field');
    expect(result.counts).toEqual({ Critical: 2, Warning: 1, Informational: 1 });
  });

  it('keeps acknowledged alerts: they are still open (§2.4)', () => {
    const result = digestContents({
      windowStartMs: start, windowEndMs: end,
      alerts: [alert('ack', start + M, { status: 'Acknowledged', severity: 'Warning' }), alert('active', start + 2 * M), alert('gone', start + 3 * M, { status: 'Inactive' })],
    });
    expect(result).toMatchObject({ send: true, counts: { Critical: 1, Warning: 1, Informational: 0 } });
    expect(result.send && result.alerts.map((a) => a.alertId)).toEqual(['ack', 'active']);
  });

  it('accepts ISO strings and epoch ms alike and orders them together', () => {
    const result = digestContents({
      windowStartMs: start,
      windowEndMs: end,
      alerts: [alert('b', '2024-05-01T10:30:00.000Z'), alert('a', start + 15 * M), alert('c', start + 45 * M)],
    });
    expect(result.send && result.alerts.map((a) => a.alertId)).toEqual(['a', 'b', 'c']);
  });

  it('rejects an unreadable raisedAt instead of silently dropping the alert', () => {
    expect(() => digestContents({ windowStartMs: start, windowEndMs: end, alerts: [alert('x', 'yesterday')] })).toThrow(/x/);
  });
});

describe('routeNewAlert', () => {
  const perAlert: NotificationSettingsFacts = { enabled: true, frequency: 'PerAlert', recipients: ['ops@contoso.com'] };
  const digest: NotificationSettingsFacts = { enabled: true, frequency: 'HourlyDigest' };
  const disabled: NotificationSettingsFacts = { enabled: false, frequency: 'PerAlert', recipients: ['ops@contoso.com'] };
  const nobody: NotificationSettingsFacts = { enabled: true, frequency: 'PerAlert', recipients: [] };

  it.each<[string, NotificationSettingsFacts | null, boolean, boolean, [boolean, boolean, boolean, string]]>([
    // name, settings, isNew, destructive → [perAlertEmail, addToDigest, destructiveNotice, reason]
    ['new alert, per-alert recipients', perAlert, true, false, [true, false, false, 'PerAlert']],
    ['new alert, digest recipients', digest, true, false, [false, true, false, 'HourlyDigest']],
    ['new alert, notifications disabled', disabled, true, false, [false, false, false, 'NotificationsDisabled']],
    ['new alert, no settings', null, true, false, [false, false, false, 'NoSettings']],
    ['new alert, enabled without recipients', nobody, true, false, [false, false, false, 'NoRecipients']],
    ['destructive, per-alert recipients', perAlert, true, true, [true, false, true, 'PerAlert']],
    ['destructive, digest recipients', digest, true, true, [false, true, true, 'HourlyDigest']],
    ['destructive, notifications disabled', disabled, true, true, [false, false, true, 'NotificationsDisabled']],
    ['destructive, no settings', null, true, true, [false, false, true, 'NoSettings']],
    ['destructive, enabled without recipients', nobody, true, true, [false, false, true, 'NoRecipients']],
    ['consolidated repeat, per-alert', perAlert, false, false, [false, false, false, 'ConsolidatedRepeat']],
    ['consolidated repeat, digest', digest, false, false, [false, false, false, 'ConsolidatedRepeat']],
    ['consolidated repeat, no settings', null, false, false, [false, false, false, 'ConsolidatedRepeat']],
    ['consolidated destructive repeat', perAlert, false, true, [false, false, false, 'ConsolidatedRepeat']],
  ])('%s', (_name, settings, isNew, destructive, [perAlertEmail, addToDigest, destructiveNotice, reason]) => {
    expect(routeNewAlert({ settings, alert: { isNew, destructive } })).toEqual({ perAlertEmail, addToDigest, destructiveNotice, reason });
  });

  it('never both emails at once and adds to the digest, for any combination', () => {
    const settingsOptions = [null, ...FREQUENCIES.flatMap((frequency) => [true, false].map((enabled) => ({ enabled, frequency })))];
    for (const settings of settingsOptions) {
      for (const isNew of [true, false]) {
        for (const destructive of [true, false]) {
          const route = routeNewAlert({ settings, alert: { isNew, destructive } });
          expect(route.perAlertEmail && route.addToDigest).toBe(false);
          expect(route.destructiveNotice).toBe(isNew && destructive);
        }
      }
    }
  });
});
