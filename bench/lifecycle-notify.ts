// Phase (a)'s notification side: after the jobs ran, wait until every expected email (the fake
// Resend accepted it) and every `alert.raised` webhook (the bench receiver accepted it) arrived,
// then time each from its alert's raisedAt.
import type postgres from 'postgres';
import type { WebhookReceiver } from '../scripts/lib/webhook-receiver';
import { lifecycleHookPath } from './lib/api-call';
import type { BenchResend } from './lib/fake-resend';
import { isPerAlertVault, type PlannedJob } from './lib/plan';
import { progress, progressDone } from './lib/progress';
import { summarize, type Summary } from './lib/stats';

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

export interface AlertWatch {
  vaultId: string;
  completeSentAt: number;
  visibleAt?: number;
  alertId?: string;
  isNew?: boolean;
}

export interface NotifyResult {
  emailsExpected: number;
  emailsSeen: number;
  alertToEmail: Summary;
  visibleToEmail: Summary;
  webhooksExpected: number;
  webhooksSeen: number;
  alertToWebhook: Summary;
  /** Date.now() of the last email or webhook accepted (for the run's duration). */
  lastAt: number;
}

type OutboxRow = { alert_id: string; provider_id: string | null };

export async function drainNotifications(options: {
  label: string; sql: postgres.Sql; resend: BenchResend; receiver: WebhookReceiver;
  jobs: PlannedJob[]; watches: Map<string, AlertWatch>; deadline: number;
}): Promise<NotifyResult> {
  const { sql, resend, receiver, label } = options;
  const byId = new Map(options.jobs.map((j) => [j.jobId, j]));
  // Only a new alert notifies (a consolidated repeat sends nothing): email for PerAlert vaults and
  // destructive notices, one `alert.raised` webhook in every vault.
  const emailWanted = new Map<string, AlertWatch>();
  const hookWanted = new Map<string, AlertWatch>();
  let emailsExpected = 0;
  for (const [jobId, w] of options.watches) {
    if (!w.alertId || w.isNew !== true) continue;
    const job = byId.get(jobId)!;
    const count = (isPerAlertVault(job.vaultIndex) ? 1 : 0) + (job.destructive ? 1 : 0);
    if (count > 0) emailWanted.set(w.alertId, w);
    emailsExpected += count;
    hookWanted.set(w.alertId, w);
  }
  const alertIds = [...emailWanted.keys()];
  const hooksSeen = () => [...hookWanted].filter(([id, w]) => receiver.raised(id, lifecycleHookPath(w.vaultId))).length;
  let outbox: OutboxRow[] = [];
  for (;;) {
    outbox = alertIds.length === 0 ? [] : await sql<OutboxRow[]>`
      select o.alert_id::text as alert_id, o.provider_id from deliveries o
      where o.status = 'Delivered' and o.channel = 'email' and o.event = 'alert.raised' and o.vault_id like 'bench-%' and o.alert_id::text = any(${alertIds})`;
    const hooks = hooksSeen();
    progress(`${label}: draining: ${outbox.length}/${emailsExpected} emails, ${hooks}/${hookWanted.size} webhooks accepted`);
    if ((outbox.length >= emailsExpected && hooks >= hookWanted.size) || Date.now() > options.deadline) break;
    await sleep(100);
  }
  progressDone();

  const watched = [...options.watches.values()].filter((w) => w.alertId);
  const raisedAt = new Map<string, number>();
  if (watched.length > 0) {
    const rows = await sql<{ id: string; raised_at: Date }[]>`select id, raised_at from alerts where id = any(${watched.map((w) => w.alertId!)})`;
    for (const row of rows) raisedAt.set(row.id, row.raised_at.getTime());
  }
  const alertToEmail: number[] = [];
  const visibleToEmail: number[] = [];
  let lastAt = 0;
  for (const row of outbox) {
    const accepted = row.provider_id ? resend.byId.get(row.provider_id.split(',')[0]!) : undefined;
    const watch = emailWanted.get(row.alert_id);
    const raised = raisedAt.get(row.alert_id);
    if (!accepted || !watch) continue;
    lastAt = Math.max(lastAt, accepted.acceptedAt);
    if (raised !== undefined) alertToEmail.push(accepted.acceptedAt - raised);
    if (watch.visibleAt) visibleToEmail.push(accepted.acceptedAt - watch.visibleAt);
  }
  const alertToWebhook: number[] = [];
  for (const [alertId, w] of hookWanted) {
    const hook = receiver.raised(alertId, lifecycleHookPath(w.vaultId));
    const raised = raisedAt.get(alertId);
    if (!hook || raised === undefined) continue;
    lastAt = Math.max(lastAt, hook.at);
    alertToWebhook.push(hook.at - raised);
  }
  return {
    emailsExpected, emailsSeen: outbox.length, alertToEmail: summarize(alertToEmail), visibleToEmail: summarize(visibleToEmail),
    webhooksExpected: hookWanted.size, webhooksSeen: alertToWebhook.length, alertToWebhook: summarize(alertToWebhook), lastAt,
  };
}
