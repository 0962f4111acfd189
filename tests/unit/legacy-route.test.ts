import { describe, expect, it } from 'vitest';
import { FREQUENCIES } from '../../domain/types';
import { routeNewAlert, type NotificationSettingsFacts } from '../../workflows/legacy/route-new-alert';

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
