import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { deliveries, webhooks } from '../db/schema';
import { keysetPage, olderThan, type Cursor } from './cursor';
import { vaultExists } from './vaults';

type DeliveryRow = Pick<typeof deliveries.$inferSelect, keyof typeof listedColumns>;

// The list reads what the view shows: the stored payload (a rendered email is kilobytes) stays on disk.
const listedColumns = {
  id: deliveries.id, channel: deliveries.channel, target: deliveries.target, event: deliveries.event, alertId: deliveries.alertId,
  alertIds: deliveries.alertIds, status: deliveries.status, attempts: deliveries.attempts, lastError: deliveries.lastError,
  createdAt: deliveries.createdAt, lastAttemptAt: deliveries.lastAttemptAt, deliveredAt: deliveries.deliveredAt,
};

/** §4 Delivery: never the payload (it may carry what the alert says) and never a secret. */
export function deliveryFromRow(row: DeliveryRow) {
  return {
    id: row.id,
    channel: row.channel as 'email' | 'webhook',
    target: row.target,
    event: row.event,
    alertId: row.alertId ?? (row.alertIds.length === 1 ? row.alertIds[0]! : null),
    status: row.status as 'Pending' | 'Delivered' | 'Failed',
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  };
}
export type DeliveryView = ReturnType<typeof deliveryFromRow>;

export interface DeliveryFilter {
  channel?: string;
  status?: string;
  alertId?: string;
  limit: number;
  cursor: Cursor | null;
}

/** Newest first; an alertId matches per-alert deliveries and the digests that listed it. */
export async function listDeliveries(db: DbOrTx, vaultId: string, filter: DeliveryFilter) {
  const conditions: (SQL | undefined)[] = [eq(deliveries.vaultId, vaultId), vaultExists(vaultId)];
  if (filter.channel) conditions.push(eq(deliveries.channel, filter.channel));
  if (filter.status) conditions.push(eq(deliveries.status, filter.status));
  if (filter.alertId) {
    conditions.push(sql`(${deliveries.alertId} = ${filter.alertId} or ${deliveries.alertIds} @> ${JSON.stringify([filter.alertId])}::jsonb)`);
  }
  if (filter.cursor) conditions.push(olderThan(deliveries.createdAt, deliveries.id, filter.cursor, 'uuid'));
  const rows = await db.select(listedColumns).from(deliveries).where(and(...conditions))
    .orderBy(desc(deliveries.createdAt), desc(deliveries.id)).limit(filter.limit + 1);
  return keysetPage(rows, filter.limit, deliveryFromRow, (row) => ({ at: row.createdAt, id: row.id }));
}

type WebhookRow = typeof webhooks.$inferSelect;

/** §4 Webhook, without its secret. */
export function webhookFromRow(row: WebhookRow) {
  return {
    id: row.id,
    url: row.url,
    format: row.format as 'standard' | 'slack' | 'teams',
    events: row.events,
    minSeverity: row.minSeverity as 'Critical' | 'Warning' | 'Informational',
    description: row.description,
    enabled: row.enabled,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
  };
}
export type WebhookView = ReturnType<typeof webhookFromRow>;

export async function listWebhooks(db: DbOrTx, vaultId: string): Promise<WebhookView[]> {
  const rows = await db.select().from(webhooks).where(and(eq(webhooks.vaultId, vaultId), sql`${webhooks.deletedAt} is null`))
    .orderBy(webhooks.createdAt, webhooks.id);
  return rows.map(webhookFromRow);
}

export async function findWebhook(db: DbOrTx, vaultId: string, webhookId: string): Promise<WebhookView | null> {
  const [row] = await db.select().from(webhooks)
    .where(and(eq(webhooks.vaultId, vaultId), eq(webhooks.id, webhookId), sql`${webhooks.deletedAt} is null`));
  return row ? webhookFromRow(row) : null;
}

/** The ids of an alert event's deliveries still Pending (what a retried raise must send again). */
export async function pendingDeliveriesOf(db: DbOrTx, alertId: string, event: string): Promise<string[]> {
  const rows = await db.select({ id: deliveries.id }).from(deliveries)
    .where(and(eq(deliveries.alertId, alertId), eq(deliveries.event, event), eq(deliveries.status, 'Pending')));
  return rows.map((row) => row.id);
}
