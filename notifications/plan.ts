// The write side of routing (§2.6): turns an alert event into delivery rows, inside the caller's
// transaction, so a state change and the notifications it owes commit together. The pure routing
// decision lives in domain/routing.ts; this module loads what it needs and writes the delivery log.
import { and, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { alerts, deliveries, digestEntries, digestWindows, vaults, webhooks } from '../db/schema';
import { digestWindow } from '../domain/digest';
import { routeAlertEvent, type AlertEvent, type RoutingSettings } from '../domain/routing';
import { SCENARIO_FACTS } from '../domain/scenarios';
import type { Scenario, Severity } from '../domain/types';
import { findSettings } from '../readmodel/vaults';
import { insertDeliveries, type NewDelivery } from './log';
import { windowWakeToken } from './tokens';

export type AlertEventType = AlertEvent;

export interface AlertEventInput {
  vaultId: string;
  alertId: string;
  event: AlertEventType;
  /**
   * When the event happened. For `alert.raised` on an HourlyDigest vault the alert joins the digest
   * window of this instant (its raisedAt normally; the silence's end when a silence releases it).
   */
  at: Date;
}

/** Used when settings were saved before the interval was recorded with them. */
export const DEFAULT_DIGEST_INTERVAL_MS = 3_600_000;

export async function routingSettingsOf(db: DbOrTx, vaultId: string): Promise<(RoutingSettings & { digestIntervalMs: number }) | null> {
  const found = await findSettings(db, vaultId);
  if (!found) return null;
  return { ...found.settings, digestIntervalMs: found.digestIntervalMs ?? DEFAULT_DIGEST_INTERVAL_MS };
}

/**
 * Plans the deliveries an alert event owes (email recipients by floor and frequency, webhooks by
 * event and floor, the destructive notice to subscription contacts) and inserts them as Pending
 * rows, idempotently (a retried caller plans nothing twice). A suppressed alert plans nothing
 * but its destructive notice. Returns the ids of the deliveries to dispatch after the commit.
 *
 * On an HourlyDigest vault the alert joins its window instead; when that window is new (or
 * re-opened after its digest left) the list also carries one `digest-window/…` wake-up token
 * that `dispatchDeliveries` turns into a signal to the vault's workflow. Callers only pass the
 * list on to `dispatchDeliveries`.
 */
export async function planAlertEvent(db: DbOrTx, input: AlertEventInput): Promise<string[]> {
  // Pipelined: inside a transaction the reads leave together (one round trip, not five).
  const [[alert], context, emailed] = await Promise.all([
    db.select().from(alerts).where(and(eq(alerts.id, input.alertId), eq(alerts.vaultId, input.vaultId))),
    routingContextOf(db, input.vaultId),
    input.event === 'alert.resolved' ? emailedAbout(db, input.vaultId, input.alertId) : Promise.resolve([]),
  ]);
  if (!alert) return [];
  const { rows, digest } = plannedRows(context, alert, input, emailed);
  const ids = await insertDeliveries(db, rows);
  if (digest && context.settings) {
    const token = await joinDigest(db, input.vaultId, input.alertId, input.at, context.settings.digestIntervalMs);
    if (token) ids.push(token);
  }
  return ids;
}

/**
 * `alert.raised` for several alerts of one vault raised at one instant (the missed-backup watch's
 * batch): the vault's routing read once and one insert for every delivery, instead of a
 * planAlertEvent per alert. Same rows, same idempotence.
 */
export async function planAlertsRaised(db: DbOrTx, vaultId: string, alertIds: readonly string[], at: Date): Promise<string[]> {
  if (alertIds.length === 0) return [];
  const [found, context] = await Promise.all([
    db.select().from(alerts).where(and(eq(alerts.vaultId, vaultId), inArray(alerts.id, [...alertIds]))),
    routingContextOf(db, vaultId),
  ]);
  const planned = found.map((alert) => ({ alert, ...plannedRows(context, alert, { vaultId, alertId: alert.id, event: 'alert.raised', at }, []) }));
  const ids = await insertDeliveries(db, planned.flatMap((p) => p.rows));
  for (const { alert, digest } of planned) {
    if (!digest || !context.settings) continue;
    const token = await joinDigest(db, vaultId, alert.id, at, context.settings.digestIntervalMs);
    if (token) ids.push(token);
  }
  return ids;
}

type RoutingContext = Awaited<ReturnType<typeof routingContextOf>>;

/** What routing needs of a vault besides the alert: contacts, settings and live webhooks. */
async function routingContextOf(db: DbOrTx, vaultId: string) {
  const [[vault], settings, hooks] = await Promise.all([
    db.select({ contacts: vaults.contacts }).from(vaults).where(eq(vaults.id, vaultId)),
    routingSettingsOf(db, vaultId),
    db.select().from(webhooks).where(and(eq(webhooks.vaultId, vaultId), isNull(webhooks.deletedAt))),
  ]);
  const contacts = vault ? [...vault.contacts.owners, ...vault.contacts.admins, ...vault.contacts.coAdmins] : [];
  return { contacts, settings, hooks };
}

/** The pure routing decision for one alert event, as delivery rows (and whether it joins a digest). */
function plannedRows(context: RoutingContext, alert: typeof alerts.$inferSelect, input: AlertEventInput, emailed: string[]) {
  const { contacts, settings, hooks } = context;
  const decision = routeAlertEvent({
    event: input.event,
    alert: {
      severity: alert.severity as Severity,
      destructive: SCENARIO_FACTS[alert.scenario as Scenario]?.destructive ?? false,
      suppressed: alert.suppressed,
    },
    settings,
    contacts,
    webhooks: hooks.map((h) => ({ id: h.id, url: h.url, events: h.events, minSeverity: h.minSeverity as Severity, enabled: h.enabled })),
    emailed,
  });

  const rows: NewDelivery[] = decision.deliveries.map((planned) => {
    const base = { vaultId: input.vaultId, event: input.event, alertId: input.alertId, alertIds: [input.alertId], target: planned.target };
    if (planned.channel === 'webhook') {
      const format = hooks.find((h) => h.id === planned.webhookId)?.format ?? 'standard';
      return {
        ...base, channel: 'webhook', webhookId: planned.webhookId,
        dedupKey: `${input.event}:${input.alertId}:webhook:${planned.webhookId}`,
        payload: { render: { kind: 'webhook', format, at: input.at.toISOString() } },
      };
    }
    const scope = planned.kind === 'destructive' ? 'destructive' : 'email';
    return {
      ...base, channel: 'email',
      dedupKey: `${input.event}:${input.alertId}:${scope}:${planned.target.toLowerCase()}`,
      payload: { render: { kind: planned.kind } },
    };
  });
  return { rows, digest: decision.digest };
}

/** Addresses already emailed (or being emailed) about this alert, per alert or in a digest. */
async function emailedAbout(db: DbOrTx, vaultId: string, alertId: string): Promise<string[]> {
  const rows = await db
    .select({ target: deliveries.target })
    .from(deliveries)
    .where(and(
      eq(deliveries.vaultId, vaultId),
      eq(deliveries.channel, 'email'),
      inArray(deliveries.event, ['alert.raised', 'digest']),
      ne(deliveries.status, 'Failed'),
      or(eq(deliveries.alertId, alertId), sql`${deliveries.alertIds} @> ${JSON.stringify([alertId])}::jsonb`),
      // Destructive notices go to subscription contacts, not to recipients.
      sql`${deliveries.dedupKey} not like '%:destructive:%'`,
    ));
  return rows.map((r) => r.target);
}

/**
 * Adds the alert to the digest window of `at`; answers a wake-up token only when the window is
 * new or its digest already left (one wake-up per window, not one message per alert).
 */
async function joinDigest(db: DbOrTx, vaultId: string, alertId: string, at: Date, intervalMs: number): Promise<string | null> {
  const window = digestWindow(at.getTime(), intervalMs);
  const windowStart = new Date(window.startMs);
  const added = await db.insert(digestEntries).values({ vaultId, windowStart, alertId })
    .onConflictDoNothing().returning({ alertId: digestEntries.alertId });
  if (added.length === 0) return null;
  const opened = await db.insert(digestWindows).values({ vaultId, windowStart, windowEnd: new Date(window.endMs) })
    .onConflictDoUpdate({
      target: [digestWindows.vaultId, digestWindows.windowStart],
      set: { closedAt: null },
      setWhere: sql`${digestWindows.closedAt} is not null`,
    })
    .returning({ windowEnd: digestWindows.windowEnd });
  return opened.length > 0 ? windowWakeToken(vaultId, window.endMs) : null;
}
