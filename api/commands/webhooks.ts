import { randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { refusedUrl } from '../../channels/ssrf';
import { webhooks } from '../../db/schema';
import { DEFAULT_WEBHOOK_EVENTS } from '../../domain/routing';
import type { Severity, WebhookEvent, WebhookFormat } from '../../domain/types';
import { atMost } from '../../notifications/bounded';
import { dispatchDeliveries } from '../../notifications/dispatch';
import { insertDeliveries } from '../../notifications/log';
import { recordAudit } from '../../readmodel/audit';
import { findWebhook, webhookFromRow, type WebhookView } from '../../readmodel/deliveries';
import type { AppDeps } from '../deps';
import { notFound, ProblemError } from '../problem';

export interface WebhookInput {
  url: string;
  format?: WebhookFormat;
  events?: WebhookEvent[];
  minSeverity?: Severity;
  description?: string | null;
}

/** `whsec_` + base64 of 32 random bytes (Standard Webhooks); shown once, then only the worker reads it. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

const dispatchDeps = (deps: AppDeps) => ({ client: deps.temporal, taskQueue: deps.taskQueue });

export async function createWebhook(deps: AppDeps, vaultId: string, input: WebhookInput, by: string, requestId: string | null) {
  const refused = refusedUrl(input.url, { allowPrivateNetworks: deps.allowPrivateWebhooks ?? false });
  if (refused) throw new ProblemError(400, `url: ${refused}`);
  const secret = newWebhookSecret();
  const row = await deps.db.transaction(async (tx) => {
    const [created] = await tx.insert(webhooks).values({
      vaultId, url: input.url, format: input.format ?? 'standard', events: [...new Set(input.events ?? DEFAULT_WEBHOOK_EVENTS)],
      minSeverity: input.minSeverity ?? 'Informational', description: input.description ?? null, secret, createdBy: by,
    }).returning();
    await recordAudit(tx, { principal: by, action: 'webhook.created', vaultId, target: `webhook/${created!.id}`, requestId });
    return created!;
  });
  return { ...webhookFromRow(row), secret };
}

/** Deleting hides it at once; Pending deliveries to it fail at their next attempt. */
export async function deleteWebhook(deps: AppDeps, vaultId: string, webhookId: string, by: string, requestId: string | null) {
  const deleted = await deps.db.transaction(async (tx) => {
    const rows = await tx.update(webhooks).set({ deletedAt: new Date(), enabled: false })
      .where(and(eq(webhooks.vaultId, vaultId), eq(webhooks.id, webhookId), isNull(webhooks.deletedAt)))
      .returning({ id: webhooks.id });
    if (rows.length > 0) await recordAudit(tx, { principal: by, action: 'webhook.deleted', vaultId, target: `webhook/${webhookId}`, requestId });
    return rows.length > 0;
  });
  if (!deleted) throw notFound(`Webhook ${webhookId} in vault ${vaultId}`);
}

/** A signed `test` event through the same path as every delivery; each call is a new delivery. */
export async function testWebhook(deps: AppDeps, vaultId: string, webhookId: string): Promise<{ deliveryId: string }> {
  const hook: WebhookView | null = await findWebhook(deps.db, vaultId, webhookId);
  if (!hook) throw notFound(`Webhook ${webhookId} in vault ${vaultId}`);
  const at = new Date();
  const [deliveryId] = await insertDeliveries(deps.db, [{
    vaultId, channel: 'webhook', target: hook.url, webhookId, event: 'test',
    dedupKey: `test:${webhookId}:${crypto.randomUUID()}`,
    payload: { render: { kind: 'webhook', format: hook.format, at: at.toISOString() } },
  }]);
  await atMost(2_000, dispatchDeliveries(dispatchDeps(deps), [deliveryId!]), (error) => {
    deps.log.warn({ err: error, vaultId, webhookId }, 'test dispatch failed; the sweeper will start it');
  });
  return { deliveryId: deliveryId! };
}
