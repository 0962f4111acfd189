// Phase (d): one HourlyDigest vault receives N alerts inside one digest window, each planned as
// raiseAlert plans it (planAlertEvent in a transaction, then dispatchDeliveries: one wake-up of the
// vault's workflow per window, not one message per alert), alert rows inserted first. Measures the
// time from the window's end to the digest accepted by the provider, events per workflow run,
// and the worker's memory.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import * as schema from '../db/schema';
import { dispatchDeliveries } from '../notifications/dispatch';
import { planAlertEvent } from '../notifications/plan';
import { vaultNotificationsWorkflowId, type RaisedAlert } from '../workflows/definitions';
import type { BenchResend } from './lib/fake-resend';
import { bar, log, progress, progressDone } from './lib/progress';
import type { RssSampler } from './lib/rss';
import { mb } from './lib/stats';

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

export interface FloodResult {
  alerts: number;
  intervalMs: number;
  windowEndMs: number;
  signalsPerSec: number;
  signalMs: number;
  /** Signals still arriving after the window had ended (their alerts go in a follow-up digest). */
  lateSignals: number;
  /** Window end → the first digest accepted by the provider. */
  firstDigestMs: number | null;
  /** Window end → every alert of the window sent in some digest. */
  allDigestedMs: number | null;
  digests: number;
  alertsDigested: number;
  runs: { runId: string; status: string; historyLength: number }[];
  workerRssMaxBytes: number;
}

interface Planner {
  client: Client;
  sql: postgres.Sql;
  taskQueue: string;
}

/** What 100 backup jobs raising at once do: plan in a transaction, then dispatch. */
async function signalAll({ client, sql, taskQueue }: Planner, vaultId: string, alerts: RaisedAlert[], onSent: (n: number) => void) {
  const db = drizzle(sql, { schema });
  let next = 0;
  let sent = 0;
  const lane = async () => {
    for (let alert = alerts[next++]; alert; alert = alerts[next++]) {
      const raised = alert;
      const ids = await db.transaction((tx) => planAlertEvent(tx, { vaultId, alertId: raised.alertId, event: 'alert.raised', at: new Date(raised.raisedAt) }));
      await dispatchDeliveries({ client, taskQueue }, ids);
      onSent(++sent);
    }
  };
  await Promise.all(Array.from({ length: 100 }, lane));
}

async function insertAlerts(sql: postgres.Sql, vaultId: string, count: number, raisedAt: Date): Promise<RaisedAlert[]> {
  const rows = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(), vault_id: vaultId, scenario: 'BackupFailure', severity: i % 10 ? 'Warning' : 'Critical', status: 'Active',
    workload_type: 'AzureVM', entity_name: `vm-${i}`, job_id: `flood-job-${i}`, latest_job_id: `flood-job-${i}`,
    raised_at: raisedAt.toISOString(), last_occurred_at: raisedAt.toISOString(),
  }));
  for (let i = 0; i < rows.length; i += 2_000) await sql`insert into alerts ${sql(rows.slice(i, i + 2_000))}`;
  return rows.map((row) => ({
    alertId: row.id, scenario: 'BackupFailure', severity: row.severity as 'Warning', destructive: false, isNew: true, raisedAt: raisedAt.toISOString(),
  }));
}

/** An interval whose window containing `nowMs` ends between `needMs` and `needMs + 5 s` from `fromMs`. */
export function chooseInterval(nowMs: number, fromMs: number, needMs: number): number {
  let best = 0;
  let bestSlack = Number.POSITIVE_INFINITY;
  for (let interval = Math.ceil(needMs / 1000) * 1000; interval <= needMs * 4 + 60_000; interval += 100) {
    const end = Math.floor(nowMs / interval) * interval + interval;
    const slack = end - fromMs;
    if (slack >= needMs && slack < bestSlack) {
      best = interval;
      bestSlack = slack;
      if (slack <= needMs + 5_000) break;
    }
  }
  return best;
}

export async function runDigestFlood(options: {
  client: Client; sql: postgres.Sql; resend: BenchResend; taskQueue: string; alerts: number; workerRss: RssSampler;
}): Promise<FloodResult> {
  const { client, sql, resend, taskQueue } = options;
  const vaultId = `flood-${randomUUID().slice(0, 6)}`;
  await sql`insert into vaults ${sql({ id: vaultId, name: 'Flooded vault', contacts: sql.json({ owners: [], admins: [], coAdmins: [] }) })}`;
  await sql`insert into notification_settings ${sql({ vault_id: vaultId, enabled: true, recipients: sql.json(['flood-ops@bench.example']), frequency: 'HourlyDigest' })}`;

  // Probe how fast this machine takes signals right now, so the window is long enough for all of them.
  const probeVault = `${vaultId}-probe`;
  const probe = await insertAlerts(sql, probeVault, 500, new Date());
  const probeStart = Date.now();
  await signalAll({ client, sql, taskQueue }, probeVault, probe, () => {});
  const probeRate = (probe.length * 1000) / (Date.now() - probeStart);
  const needMs = Math.ceil(((options.alerts / probeRate) * 1.5 + 5) * 1000);

  options.workerRss.reset();
  const raisedAt = new Date();
  const alerts = await insertAlerts(sql, vaultId, options.alerts, raisedAt);
  const intervalMs = chooseInterval(raisedAt.getTime(), Date.now(), needMs);
  const windowEndMs = Math.floor(raisedAt.getTime() / intervalMs) * intervalMs + intervalMs;
  log(`(d) probe: ${probeRate.toFixed(0)} signals/s; digest interval ${(intervalMs / 1000).toFixed(1)} s, window ends in ${((windowEndMs - Date.now()) / 1000).toFixed(1)} s`);

  await sql`update notification_settings set digest_interval_ms = ${intervalMs} where vault_id = ${vaultId}`;
  const signalStart = Date.now();
  let lateSignals = 0;
  await signalAll({ client, sql, taskQueue }, vaultId, alerts, (sent) => {
    if (Date.now() >= windowEndMs) lateSignals += 1;
    if (sent % 250 === 0) {
      progress(`(d) signals: ${bar(sent, alerts.length)} ${sent}/${alerts.length}  window ends in ${((windowEndMs - Date.now()) / 1000).toFixed(1)} s  worker ${mb(options.workerRss.current())}`);
    }
  });
  const signalMs = Date.now() - signalStart;
  if (lateSignals > 0) log(`(d) ${lateSignals} signals arrived after the window ended (they go in a follow-up digest)`);

  // Digests for the vault, matched to the provider's acceptance times.
  const deadline = Math.max(Date.now(), windowEndMs) + 120_000;
  let firstDigestMs: number | null = null;
  let allDigestedMs: number | null = null;
  let digests = 0;
  let alertsDigested = 0;
  for (;;) {
    const rows = await sql<{ provider_id: string | null; n: number }[]>`
      select provider_id, jsonb_array_length(alert_ids) as n from deliveries where vault_id = ${vaultId} and event = 'digest' and status = 'Delivered'`;
    const times = rows.map((r) => resend.byId.get((r.provider_id ?? '').split(',')[0]!)?.acceptedAt).filter((t): t is number => t !== undefined);
    digests = rows.length;
    alertsDigested = rows.reduce((sum, r) => sum + r.n, 0);
    if (times.length > 0) firstDigestMs = Math.min(...times) - windowEndMs;
    if (alertsDigested >= options.alerts) {
      allDigestedMs = Math.max(...times) - windowEndMs;
      break;
    }
    const wait = windowEndMs - Date.now();
    progress(wait > 0
      ? `(d) waiting for the window to end: ${(wait / 1000).toFixed(1)} s  worker ${mb(options.workerRss.current())}`
      : `(d) waiting for the digest: ${((-wait) / 1000).toFixed(1)} s after the window end, ${alertsDigested}/${options.alerts} alerts sent`);
    if (Date.now() > deadline) break;
    await sleep(wait > 1_000 ? 500 : 50);
  }
  progressDone();

  const runs: FloodResult['runs'] = [];
  for await (const run of client.workflow.list({ query: `WorkflowId = "${vaultNotificationsWorkflowId(vaultId)}"` })) {
    // Visibility lags for a running execution: describe gives its current length.
    const described = await client.workflow.getHandle(run.workflowId, run.runId).describe();
    runs.push({ runId: run.runId, status: described.status.name, historyLength: described.historyLength });
  }
  return {
    alerts: options.alerts, intervalMs, windowEndMs, signalsPerSec: (options.alerts * 1000) / signalMs, signalMs, lateSignals,
    firstDigestMs, allDigestedMs, digests, alertsDigested, runs, workerRssMaxBytes: options.workerRss.max(),
  };
}
