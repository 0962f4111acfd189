// Webhooks of the fault suite (§2.6): each vault gets standard-format webhooks pointing at the
// suite's own endpoints, with different events and severity floors; the check compares the
// delivery log and what the endpoints received with what the routing rules say is owed.
import type postgres from 'postgres';
import { verifySignature, type WebhookReceiver } from '../lib/webhook-receiver';
import type { createServiceClient } from './http';
import { meetsFloor, resolvedNotified, type AlertOutcome } from './model';

type Service = ReturnType<typeof createServiceClient>;
type AlertEvent = 'alert.raised' | 'alert.resolved';

export interface WebhookSetup {
  id: string;
  vaultId: string;
  path: string;
  /** Shown once, in the creation's answer: the check verifies each call's signature with it. */
  secret: string;
  events: string[];
  minSeverity: string;
}

/** Which webhooks a vault gets: everything (the defaults) always, plus one with a narrower subscription. */
function specsFor(index: number | 'watch') {
  const all = { name: 'all', events: ['alert.raised', 'alert.resolved'], minSeverity: 'Informational', explicit: false };
  if (index === 'watch') return [all];
  return index % 2 === 1
    ? [all, { name: 'critical-raised', events: ['alert.raised'], minSeverity: 'Critical', explicit: true }]
    : [all, { name: 'warning-resolved', events: ['alert.resolved', 'alert.acknowledged'], minSeverity: 'Warning', explicit: true }];
}

export async function createWebhooks(service: Service, endpoints: WebhookReceiver, vaultId: string, index: number | 'watch'): Promise<WebhookSetup[]> {
  const created: WebhookSetup[] = [];
  for (const spec of specsFor(index)) {
    const path = `/hooks/${vaultId}/${spec.name}`;
    // The first one relies on the defaults (events raised + resolved, floor Informational).
    const body = spec.explicit ? { url: endpoints.url(path), events: spec.events, minSeverity: spec.minSeverity } : { url: endpoints.url(path) };
    const answer = await service.send('POST', `/v1/vaults/${vaultId}/webhooks`, { ...body, description: `fault suite ${spec.name}` });
    if (answer.status !== 201 || typeof answer.body?.secret !== 'string') throw new Error(`webhook ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    created.push({ id: answer.body.id, vaultId, path, secret: answer.body.secret, events: spec.events, minSeverity: spec.minSeverity });
  }
  return created;
}

const key = (parts: unknown[]) => JSON.stringify(parts);

export async function checkWebhooks(
  sql: postgres.Sql, hooks: WebhookSetup[], alerts: AlertOutcome[], endpoints: WebhookReceiver, fail: (line: string) => void,
): Promise<Record<string, number>> {
  const vaultIds = [...new Set(hooks.map((h) => h.vaultId))];
  // ---- owed by the rules: events subscribed, floor met, notified at all
  const want = new Set<string>();
  for (const alert of alerts) {
    for (const hook of hooks.filter((h) => h.vaultId === alert.vaultId)) {
      const owed: [AlertEvent, boolean][] = [['alert.raised', alert.raisedNotified], ['alert.resolved', resolvedNotified(alert)]];
      for (const [event, due] of owed) {
        if (due && hook.events.includes(event) && meetsFloor(alert.severity, hook.minSeverity)) want.add(key([alert.id, event, hook.id]));
      }
    }
  }
  // ---- the delivery log: one row per owed (alert, event, webhook), each Delivered, nothing else
  const rows = await sql<{ id: string; webhook_id: string; event: string; alert_id: string; status: string }[]>`
    select id, webhook_id, event, alert_id, status from deliveries where vault_id = any(${vaultIds}) and channel = 'webhook'`;
  const logged = new Map<string, string[]>();
  for (const row of rows) logged.set(key([row.alert_id, row.event, row.webhook_id]), [...(logged.get(key([row.alert_id, row.event, row.webhook_id])) ?? []), row.id]);
  for (const [k, ids] of logged) {
    if (!want.has(k)) fail(`unexpected webhook delivery ${k} (${ids.length} rows)`);
    else if (ids.length > 1) fail(`webhook ${k}: ${ids.length} deliveries (different ids: a duplicate)`);
  }
  for (const k of want) if (!logged.has(k)) fail(`webhook ${k}: owed, never planned`);
  for (const row of rows) if (row.status !== 'Delivered') fail(`webhook delivery ${row.id} ended ${row.status}`);

  // ---- what the endpoints received, deduplicated by webhook-id as a receiver does
  const byId = new Map(rows.map((r) => [r.id, r]));
  const pathOf = new Map(hooks.map((h) => [h.id, h.path]));
  const secretOf = new Map(hooks.map((h) => [h.path, h.secret]));
  const accepted = new Set<string>();
  for (const call of endpoints.calls) {
    const row = byId.get(call.webhookId);
    if (!verifySignature(secretOf.get(call.path), call)) fail(`webhook call to ${call.path} (${call.webhookId || 'no id'}): bad signature`);
    if (!row) { fail(`webhook call to ${call.path} with id ${call.webhookId}: no delivery explains it`); continue; }
    if (pathOf.get(row.webhook_id) !== call.path) fail(`delivery ${row.id} of webhook ${row.webhook_id} reached ${call.path}`);
    let body: { type?: string; data?: { alert?: { id?: string } } } = {};
    try { body = JSON.parse(call.body); } catch { fail(`delivery ${row.id}: body is not JSON`); }
    if (body.type !== row.event || body.data?.alert?.id !== row.alert_id) fail(`delivery ${row.id}: body says ${body.type} ${body.data?.alert?.id}, the log ${row.event} ${row.alert_id}`);
    if (call.answered === 200) accepted.add(call.webhookId);
  }
  for (const row of rows) if (want.has(key([row.alert_id, row.event, row.webhook_id])) && !accepted.has(row.id)) fail(`webhook delivery ${row.id} (${row.event}) never accepted by its endpoint`);
  const calls = endpoints.calls.filter((c) => hooks.some((h) => h.path === c.path));
  return {
    webhooksOwed: want.size, webhookDeliveries: rows.length, webhooksAccepted: accepted.size,
    webhookCalls: calls.length, webhookAnswered500: calls.filter((c) => c.answered === 500).length,
    webhookHung: calls.filter((c) => c.answered === 'hang').length,
    // The same delivery id received more than once (a retry after a 500 or a hang): deduplicated.
    webhookIdsSeenTwice: [...new Set(calls.map((c) => c.webhookId))].filter((id) => calls.filter((c) => c.webhookId === id).length > 1).length,
  };
}
