// The first attempt renders a planned delivery's payload from the data of that moment; it is
// stored and every later attempt sends exactly those bytes (Resend refuses a reused key with
// another payload, and a webhook receiver deduplicating on webhook-id expects one body).
import { asc, eq, sql } from 'drizzle-orm';
import { WEBHOOK_FORMATTERS } from '../channels';
import type { Database } from '../db/client';
import { alerts, deliveries, vaults } from '../db/schema';
import type { WebhookFormat } from '../domain/types';
import { alertListUrl, alertUrl } from '../emails/format';
import { renderEmail } from '../emails/render';
import type { AlertData, DestructiveNoticeEmailProps } from '../emails/types';
import { alertFromRow } from '../readmodel/alerts';
import { DEFAULT_DIGEST_INTERVAL_MS, routingSettingsOf } from '../notifications/plan';

type DeliveryRow = typeof deliveries.$inferSelect;

export type RenderSpec =
  | { kind: 'alert' | 'destructive' | 'resolved' }
  | { kind: 'welcome'; frequency: 'PerAlert' | 'HourlyDigest' }
  | { kind: 'digest'; windowStart: string; windowEnd: string }
  | { kind: 'webhook'; format: WebhookFormat; at: string };

export const renderSpecOf = (payload: unknown): RenderSpec | null =>
  (payload as { render?: RenderSpec } | null)?.render ?? null;

export class NothingToRender extends Error {}

async function loadAlert(db: Database, id: string | null): Promise<AlertData | null> {
  if (!id) return null;
  const [row] = await db.select().from(alerts).where(eq(alerts.id, id));
  return row ? (alertFromRow(row) as unknown as AlertData) : null;
}

export async function renderPayload(db: Database, row: DeliveryRow, spec: RenderSpec, publicUrl: string): Promise<Record<string, unknown>> {
  const [vaultRow] = await db.select().from(vaults).where(eq(vaults.id, row.vaultId));
  const vault = { id: row.vaultId, name: vaultRow?.name ?? null };
  const options = { publicUrl };
  switch (spec.kind) {
    case 'alert':
    case 'resolved': {
      const alert = await loadAlert(db, row.alertId);
      if (!alert) throw new NothingToRender(`alert ${row.alertId} does not exist`);
      return { ...(await renderEmail(spec.kind, { vault, alert }, options)) };
    }
    case 'destructive': {
      const alert = await loadAlert(db, row.alertId);
      if (!alert) throw new NothingToRender(`alert ${row.alertId} does not exist`);
      const props = { vault: { ...vault, subscriptionId: vaultRow?.subscriptionId ?? null }, alert } as DestructiveNoticeEmailProps;
      return { ...(await renderEmail('destructive', props, options)) };
    }
    case 'welcome': {
      const settings = await routingSettingsOf(db, row.vaultId);
      return { ...(await renderEmail('welcome', {
        vault, recipient: row.target, frequency: spec.frequency, digestIntervalMs: settings?.digestIntervalMs ?? DEFAULT_DIGEST_INTERVAL_MS,
      }, options)) };
    }
    case 'digest': {
      // The ids are read from the row itself: a digest may list tens of thousands of alerts.
      const rows = await db.select().from(alerts)
        .where(sql`${alerts.id} in (select jsonb_array_elements_text(${deliveries.alertIds})::uuid from ${deliveries} where ${deliveries.id} = ${row.id})`)
        .orderBy(asc(alerts.raisedAt), asc(alerts.id));
      if (rows.length === 0) throw new NothingToRender('the digest lists no alert');
      const listed = rows.map((r) => alertFromRow(r) as unknown as AlertData);
      return { ...(await renderEmail('digest', { vault, windowStart: spec.windowStart, windowEnd: spec.windowEnd, alerts: listed }, options)) };
    }
    case 'webhook': {
      const alert = await loadAlert(db, row.alertId);
      const link = alert ? alertUrl(publicUrl, alert) : alertListUrl(publicUrl, row.vaultId);
      const type = row.event as 'alert.raised' | 'alert.acknowledged' | 'alert.resolved' | 'test';
      const view = alert as unknown as Parameters<(typeof WEBHOOK_FORMATTERS)['standard']['render']>[0]['alert'];
      return { body: WEBHOOK_FORMATTERS[spec.format].render({ type, timestamp: spec.at, alert: view, vault, link }) };
    }
  }
}
