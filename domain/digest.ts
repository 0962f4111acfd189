import { isOpenStatus, SEVERITIES, type AlertStatus, type Frequency, type Severity } from './types';

export interface DigestWindow {
  startMs: number;
  endMs: number;
}

/**
 * The window `[k·I, (k+1)·I)` containing `atMs`, counted from the Unix epoch (§4) so that every
 * worker, and every continued-as-new run, agrees on the boundaries without shared state.
 */
export function digestWindow(atMs: number, intervalMs: number): DigestWindow {
  if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0) {
    throw new RangeError(`digest interval must be a positive whole number of ms, got ${intervalMs}`);
  }
  if (!Number.isFinite(atMs)) throw new RangeError(`digest instant must be finite, got ${atMs}`);
  const startMs = Math.floor(atMs / intervalMs) * intervalMs;
  return { startMs, endMs: startMs + intervalMs };
}

export interface DigestAlert {
  alertId: string;
  /** Epoch milliseconds or an ISO 8601 string, as read from the database or a signal. */
  raisedAt: number | string;
  status?: AlertStatus;
  inactive?: boolean;
  severity: Severity;
}

export type DigestContents<T extends DigestAlert> =
  | { send: true; reason: 'ActiveAlertsInWindow'; alerts: T[]; counts: Record<Severity, number> }
  | { send: false; reason: 'EmptyWindow' | 'AllResolved' };

function toMs(raisedAt: number | string, alertId: string): number {
  const ms = typeof raisedAt === 'number' ? raisedAt : Date.parse(raisedAt);
  // Dropping an unreadable timestamp would silently lose an alert from the digest; fail loudly.
  if (!Number.isFinite(ms)) throw new RangeError(`alert ${alertId} has an unreadable raisedAt: ${String(raisedAt)}`);
  return ms;
}

/** "Still open" (§2.3, §2.4): Active or Acknowledged; an alert read without a status counts as open. */
const isActive = (alert: DigestAlert) => (alert.status === undefined || isOpenStatus(alert.status)) && alert.inactive !== true;

/**
 * §2.3: what the digest for one window says at sending time. Alerts raised in the window but
 * already inactivated or auto-resolved are left out (acknowledged ones stay: they are still open); a window with nothing left sends nothing.
 */
export function digestContents<T extends DigestAlert>(input: {
  windowStartMs: number;
  windowEndMs: number;
  alerts: readonly T[];
}): DigestContents<T> {
  const inWindow = input.alerts
    .map((alert) => ({ alert, at: toMs(alert.raisedAt, alert.alertId) }))
    .filter(({ at }) => at >= input.windowStartMs && at < input.windowEndMs);
  if (inWindow.length === 0) return { send: false, reason: 'EmptyWindow' };

  // Tie-break on id so that a re-rendered digest (after a retry) lists alerts in the same order.
  const active = inWindow
    .filter(({ alert }) => isActive(alert))
    .sort((a, b) => a.at - b.at || (a.alert.alertId < b.alert.alertId ? -1 : a.alert.alertId > b.alert.alertId ? 1 : 0))
    .map(({ alert }) => alert);
  if (active.length === 0) return { send: false, reason: 'AllResolved' };

  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const alert of active) counts[alert.severity] += 1;
  return { send: true, reason: 'ActiveAlertsInWindow', alerts: active, counts };
}

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
