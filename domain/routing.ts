// §2.3, §2.6, §2.7: who gets what for one alert event. Pure: the planner loads the facts, this
// decides, and every decision carries a named reason (shown in tests and the delivery log).
import type { RecipientSetting } from './model';
import { meetsFloor, type Frequency, type Severity, type WebhookEvent } from './types';

export type AlertEvent = 'alert.raised' | 'alert.acknowledged' | 'alert.resolved';

export interface RoutingSettings {
  enabled: boolean;
  recipients: readonly RecipientSetting[];
  frequency: Frequency;
  minSeverity: Severity;
  notifyOnResolved: boolean;
}

export interface RoutingWebhook {
  id: string;
  url: string;
  events: readonly string[];
  minSeverity: Severity;
  enabled: boolean;
}

export interface RoutingInput {
  event: AlertEvent;
  alert: { severity: Severity; destructive: boolean; suppressed: boolean };
  settings: RoutingSettings | null;
  /** The subscription's owners, admins and co-admins (destructive notices). */
  contacts: readonly string[];
  webhooks: readonly RoutingWebhook[];
  /** Addresses (any case) already emailed about this alert, from the delivery log. */
  emailed?: readonly string[];
}

/** What an email says: the template it is rendered with. */
export type EmailKind = 'alert' | 'destructive' | 'resolved';

export type PlannedDelivery =
  | { channel: 'email'; target: string; kind: EmailKind; reason: 'PerAlert' | 'DestructiveNotice' | 'NotifyOnResolved' }
  | { channel: 'webhook'; target: string; webhookId: string; reason: 'WebhookSubscribed' };

export type SkipReason =
  | 'Suppressed' | 'NoSettings' | 'NotificationsDisabled' | 'BelowFloor' | 'WebhookDisabled'
  | 'EventNotSubscribed' | 'NotNotifiedBefore' | 'ResolvedNotWanted' | 'EventNotEmailed';

export interface RoutingDecision {
  deliveries: PlannedDelivery[];
  /** True when the alert joins the digest of its window (HourlyDigest; floors apply at digest time). */
  digest: boolean;
  skipped: { target: string; reason: SkipReason }[];
}

export const DEFAULT_WEBHOOK_EVENTS: readonly WebhookEvent[] = ['alert.raised', 'alert.resolved'];

const lower = (address: string) => address.trim().toLowerCase();
export const recipientAddress = (r: RecipientSetting): string => (typeof r === 'string' ? r : r.address);
/** A recipient's own floor replaces the settings' floor (§2.6). */
export const recipientFloor = (r: RecipientSetting, settingsFloor: Severity): Severity =>
  typeof r === 'string' ? settingsFloor : r.minSeverity;

/** Distinct addresses, first spelling kept, compared case-insensitively. */
export function distinctAddresses(addresses: readonly string[]): string[] {
  const seen = new Set<string>();
  return addresses.map((a) => a.trim()).filter((a) => a !== '' && !seen.has(lower(a)) && Boolean(seen.add(lower(a))));
}

export function routeAlertEvent(input: RoutingInput): RoutingDecision {
  const { event, alert, settings } = input;
  const decision: RoutingDecision = { deliveries: [], digest: false, skipped: [] };
  const skip = (target: string, reason: SkipReason) => decision.skipped.push({ target, reason });

  // Destructive notices ignore floors, settings and silences.
  if (event === 'alert.raised' && alert.destructive) {
    for (const target of distinctAddresses(input.contacts)) {
      decision.deliveries.push({ channel: 'email', target, kind: 'destructive', reason: 'DestructiveNotice' });
    }
  }
  if (alert.suppressed) {
    skip('*', 'Suppressed');
    return decision;
  }

  routeEmail(input, decision, skip);

  for (const hook of input.webhooks) {
    if (!hook.enabled) skip(hook.url, 'WebhookDisabled');
    else if (!hook.events.includes(event)) skip(hook.url, 'EventNotSubscribed');
    else if (!meetsFloor(alert.severity, hook.minSeverity)) skip(hook.url, 'BelowFloor');
    else decision.deliveries.push({ channel: 'webhook', target: hook.url, webhookId: hook.id, reason: 'WebhookSubscribed' });
  }
  return decision;
}

function routeEmail(input: RoutingInput, decision: RoutingDecision, skip: (t: string, r: SkipReason) => void): void {
  const { event, alert, settings } = input;
  if (!settings) return skip('email', 'NoSettings');
  if (!settings.enabled) return skip('email', 'NotificationsDisabled');
  if (event === 'alert.acknowledged') return skip('email', 'EventNotEmailed');
  if (event === 'alert.resolved' && !settings.notifyOnResolved) return skip('email', 'ResolvedNotWanted');
  if (event === 'alert.raised' && settings.frequency === 'HourlyDigest') {
    decision.digest = true;
    return;
  }
  const emailed = new Set((input.emailed ?? []).map(lower));
  for (const recipient of settings.recipients) {
    const target = recipientAddress(recipient);
    if (!meetsFloor(alert.severity, recipientFloor(recipient, settings.minSeverity))) skip(target, 'BelowFloor');
    else if (event === 'alert.resolved' && !emailed.has(lower(target))) skip(target, 'NotNotifiedBefore');
    else if (event === 'alert.resolved') decision.deliveries.push({ channel: 'email', target, kind: 'resolved', reason: 'NotifyOnResolved' });
    else decision.deliveries.push({ channel: 'email', target, kind: 'alert', reason: 'PerAlert' });
  }
}

/**
 * §2.3 at a window's end: each subscribed recipient gets one digest of the window's alerts that
 * meet its floor; a recipient for whom nothing is left gets none.
 */
export function digestPlan<A extends { id: string; severity: Severity }>(
  settings: RoutingSettings | null,
  alerts: readonly A[],
): { target: string; alerts: A[] }[] {
  if (!settings?.enabled) return [];
  const plan: { target: string; alerts: A[] }[] = [];
  const seen = new Set<string>();
  for (const recipient of settings.recipients) {
    const target = recipientAddress(recipient);
    if (seen.has(lower(target))) continue;
    seen.add(lower(target));
    const floor = recipientFloor(recipient, settings.minSeverity);
    const mine = alerts.filter((a) => meetsFloor(a.severity, floor));
    if (mine.length > 0) plan.push({ target, alerts: mine });
  }
  return plan;
}

/** Addresses subscribed after a save that were not before (case-insensitive): each gets a welcome. */
export function welcomeTargets(before: RoutingSettings | null, after: RoutingSettings): string[] {
  const subscribed = (s: RoutingSettings | null) => (s?.enabled ? s.recipients.map(recipientAddress) : []);
  const known = new Set(subscribed(before).map(lower));
  return distinctAddresses(subscribed(after)).filter((a) => !known.has(lower(a)));
}
