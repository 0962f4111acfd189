// The pre-delivery-log vault loop's routing decision (§2.3), kept unchanged so that runs started
// before the delivery log replay exactly; new alerts are routed by domain/routing.ts.
import type { Frequency } from '../../domain/types';

export interface NotificationSettingsFacts {
  enabled: boolean;
  frequency: Frequency;
  /** When given, an empty list means nobody is configured to receive anything. */
  recipients?: readonly string[];
}

export type RouteReason =
  | 'ConsolidatedRepeat'
  | 'NoSettings'
  | 'NotificationsDisabled'
  | 'NoRecipients'
  | 'PerAlert'
  | 'HourlyDigest';

export interface AlertRoute {
  perAlertEmail: boolean;
  addToDigest: boolean;
  /** Sent to the subscription's owners, admins and co-admins whatever the vault settings say. */
  destructiveNotice: boolean;
  reason: RouteReason;
}

/**
 * §2.3: where a freshly raised alert goes. A consolidated repeat (isNew=false) already notified
 * once for its root cause, so it goes nowhere, destructive or not. The reason describes the
 * configured recipients; the destructive notice is independent of them.
 */
export function routeNewAlert(input: {
  settings: NotificationSettingsFacts | null;
  alert: { isNew: boolean; destructive: boolean };
}): AlertRoute {
  const { settings, alert } = input;
  const none = { perAlertEmail: false, addToDigest: false };
  if (!alert.isNew) return { ...none, destructiveNotice: false, reason: 'ConsolidatedRepeat' };
  const destructiveNotice = alert.destructive;
  if (settings === null) return { ...none, destructiveNotice, reason: 'NoSettings' };
  if (!settings.enabled) return { ...none, destructiveNotice, reason: 'NotificationsDisabled' };
  if (settings.recipients !== undefined && settings.recipients.length === 0) {
    return { ...none, destructiveNotice, reason: 'NoRecipients' };
  }
  return settings.frequency === 'PerAlert'
    ? { perAlertEmail: true, addToDigest: false, destructiveNotice, reason: 'PerAlert' }
    : { perAlertEmail: false, addToDigest: true, destructiveNotice, reason: 'HourlyDigest' };
}
