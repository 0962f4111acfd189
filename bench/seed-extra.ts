// The rest of the bulk seed, after jobs and alerts (bench/seed.ts): the protected items those jobs
// name and the delivery log those alerts wrote, so the items and deliveries list scenarios of (c)
// read realistic rows through the indexes the API's queries use.
import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { standardFormat } from '../channels/webhook-standard';
import { renderEmail } from '../emails/render';
import type { AlertData } from '../emails/types';
import type { AlertView } from '../readmodel/alerts';
import { copy, copyText, iso } from './lib/copy';

/** What the delivery seed needs of each seeded alert. */
export interface SeededAlert {
  id: string;
  vaultIndex: number;
  raisedMs: number;
}

interface ItemState {
  lastJobId: string;
  lastJobAt: number;
  firstAt: number;
  lastBackup?: { id: string; status: string; endedMs: number };
  lastSuccessMs?: number;
  critical: number;
  warning: number;
}

/**
 * Items as the job activities leave them: one per (vault, workloadType, entityName) that ran a job,
 * with its last job and last finished backup, and its open alert counts (which make `health`, a
 * generated column). Followed row by row while the jobs and alerts are generated (jobs arrive in
 * time order), then loaded with COPY after the alerts, so the alerts' count trigger had nothing to
 * update: the same numbers it would have kept.
 */
export class ItemTracker {
  private readonly items = new Map<string, ItemState>();

  job(vaultId: string, workloadType: string, entityName: string, job: { id: string; operation: string; status: string; startedMs: number; endedMs: number | null }) {
    const key = `${vaultId}\t${workloadType}\t${entityName}`;
    let item = this.items.get(key);
    if (!item) this.items.set(key, item = { lastJobId: job.id, lastJobAt: job.startedMs, firstAt: job.startedMs, critical: 0, warning: 0 });
    item.lastJobId = job.id;
    item.lastJobAt = job.startedMs;
    if (job.operation !== 'Backup' || job.endedMs === null) return;
    item.lastBackup = { id: job.id, status: job.status, endedMs: job.endedMs };
    if (job.status === 'Completed' || job.status === 'CompletedWithWarnings') item.lastSuccessMs = Math.max(item.lastSuccessMs ?? 0, job.endedMs);
  }

  openAlert(vaultId: string, workloadType: string, entityName: string, severity: string) {
    const item = this.items.get(`${vaultId}\t${workloadType}\t${entityName}`);
    if (!item) return; // the product has no item without a job either
    if (severity === 'Critical') item.critical += 1;
    else if (severity === 'Warning') item.warning += 1;
  }

  async load(sql: postgres.Sql): Promise<{ items: number; ms: number }> {
    const rows = [...this.items];
    const ms = await copy(sql,
      'copy items (vault_id, workload_type, entity_name, last_job_id, last_job_at, last_backup_job_id, last_backup_status, last_backup_ended_at, ' +
      'last_successful_backup_at, open_critical, open_warning, created_at, updated_at) from stdin',
      rows.length, 'items', (i) => {
        const [key, item] = rows[i]!;
        const b = item.lastBackup;
        return `${[key, item.lastJobId, iso(item.lastJobAt), b?.id ?? '\\N', b?.status ?? '\\N', b ? iso(b.endedMs) : '\\N',
          item.lastSuccessMs ? iso(item.lastSuccessMs) : '\\N', String(item.critical), String(item.warning), iso(item.firstAt), iso(item.lastJobAt)].join('\t')}\n`;
      });
    return { items: rows.length, ms };
  }
}

const sampleAlert = (raisedAt: string): AlertView => ({
  id: randomUUID(), vaultId: 'seed-00', scenario: 'BackupFailure', severity: 'Critical', status: 'Active', workloadType: 'AzureVM',
  entityName: 'vm-123', jobId: randomUUID(), latestJobId: randomUUID(), occurrences: 1, errorCode: 'UserErrorGuestAgentStatusUnavailable',
  errorMessage: 'The VM agent is unable to communicate.', raisedAt, lastOccurredAt: raisedAt, acknowledgedAt: null, acknowledgedBy: null,
  inactivatedAt: null, inactivatedBy: null, resolution: null, resolvedByJobId: null, suppressed: false,
});

/**
 * The delivery log of the seeded alerts: one `alert.raised` webhook per alert (every seeded vault
 * has one webhook), and one email per alert in the even vaults (PerAlert; the odd ones digest).
 * Payloads are what the worker stores: a real rendered alert email, a real standard webhook body.
 * About 2% of webhooks and 0.5% of emails Failed, the newest few Pending, the rest Delivered.
 */
export async function seedDeliveries(sql: postgres.Sql, alerts: SeededAlert[], vaultId: (i: number) => string, random: () => number) {
  const started = Date.now();
  const vaults = [...new Set(alerts.map((a) => a.vaultIndex))].sort((a, b) => a - b);
  const hooks = new Map<number, { id: string; url: string }>();
  for (const index of vaults) {
    const url = `https://hooks.seed.example/${vaultId(index)}`;
    const [row] = await sql<{ id: string }[]>`insert into webhooks (vault_id, url, events, secret, created_by, created_at)
      values (${vaultId(index)}, ${url}, '["alert.raised","alert.resolved"]'::jsonb, ${`whsec_seed${index}`}, 'seed', ${iso(Date.now() - 91 * 86_400_000)}::timestamptz)
      returning id::text as id`;
    hooks.set(index, { id: row!.id, url });
  }
  const at = new Date().toISOString();
  const email = await renderEmail('alert', { vault: { id: 'seed-00', name: 'Seeded vault 0' }, alert: sampleAlert(at) as unknown as AlertData },
    { publicUrl: 'https://backup-monitor.example' });
  const emailPayload = copyText(JSON.stringify(email));
  const body = standardFormat.render({ type: 'alert.raised', timestamp: at, alert: sampleAlert(at), vault: { id: 'seed-00', name: 'Seeded vault 0' }, link: 'https://backup-monitor.example/console' });
  const hookPayload = copyText(JSON.stringify({ body }));
  const pendingFrom = alerts.length - Math.min(100, Math.ceil(alerts.length / 1_000));

  const rows: string[] = [];
  let nextAlert = 0;
  const line = (...cells: string[]) => `${cells.join('\t')}\n`;
  const total = alerts.length + alerts.filter((a) => a.vaultIndex % 2 === 0).length;
  const ms = await copy(sql,
    'copy deliveries (id, dedup_key, vault_id, channel, target, webhook_id, event, alert_id, alert_ids, payload, status, attempts, last_error, provider_id, created_at, last_attempt_at, delivered_at) from stdin',
    total, 'deliveries', () => {
      if (rows.length === 0) {
        const index = nextAlert++;
        const alert = alerts[index]!;
        const vault = vaultId(alert.vaultIndex);
        const hook = hooks.get(alert.vaultIndex)!;
        const createdMs = alert.raisedMs + 40 + Math.floor(random() * 400);
        const pending = index >= pendingFrom;
        const failed = !pending && random() < 0.02;
        const attempts = pending ? 1 : failed ? 12 : random() < 0.05 ? 2 : 1;
        const lastMs = createdMs + 30 + Math.floor(random() * 200) + (attempts > 1 ? 2 ** attempts * 1_000 : 0);
        rows.push(line(randomUUID(), `alert.raised:${alert.id}:webhook:${hook.id}`, vault, 'webhook', hook.url, hook.id, 'alert.raised', alert.id,
          `["${alert.id}"]`, hookPayload, pending ? 'Pending' : failed ? 'Failed' : 'Delivered', String(attempts),
          failed ? 'gave up: HTTP 503 from the endpoint' : pending ? 'HTTP 503 from the endpoint' : '\\N', '\\N',
          iso(createdMs), iso(lastMs), pending || failed ? '\\N' : iso(lastMs)));
        if (alert.vaultIndex % 2 === 0) {
          const target = `ops-${alert.vaultIndex}@seed.example`;
          const bounced = random() < 0.005;
          rows.push(line(randomUUID(), `alert.raised:${alert.id}:email:${target}`, vault, 'email', target, '\\N', 'alert.raised', alert.id,
            `["${alert.id}"]`, emailPayload, bounced ? 'Failed' : 'Delivered', '1',
            bounced ? 'HTTP 422 from Resend: validation_error' : '\\N', bounced ? '\\N' : randomUUID(),
            iso(createdMs + 5), iso(createdMs + 300), bounced ? '\\N' : iso(createdMs + 300)));
        }
      }
      return rows.shift()!;
    });
  return { deliveries: total, ms, totalMs: Date.now() - started };
}
