// Phase (a): jobs driven over HTTP through the real API and worker: start → complete → alert → email.
import type postgres from 'postgres';
import type { WebhookReceiver } from '../scripts/lib/webhook-receiver';
import { drainNotifications, type AlertWatch } from './lifecycle-notify';
import { call } from './lib/api-call';
import type { BenchResend } from './lib/fake-resend';
import type { PlannedJob } from './lib/plan';
import { bar, log, progress } from './lib/progress';
import type { RssSampler } from './lib/rss';
import { mb, summarize, type Summary } from './lib/stats';

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));
const ALERT_POLL_MS = 20;

export interface LifecycleOptions {
  label: string;
  baseUrl: string;
  sql: postgres.Sql;
  resend: BenchResend;
  receiver: WebhookReceiver;
  jobs: PlannedJob[];
  concurrency: number;
  /** Jobs started per second (open loop, capped by `concurrency`); unlimited when absent. */
  ratePerSec?: number;
  workerRss: RssSampler;
  apiRss: RssSampler;
  drainTimeoutMs?: number;
  /**
   * Closed loop like the floor's: a lane takes its next job only when this job's workflow has
   * ended (the API answers before any worker ran, so without it the lanes would only measure how
   * fast the API accepts, and queue the work in Temporal).
   */
  awaitJobWorkflow?: (vaultId: string, jobId: string) => Promise<unknown>;
}

/** A rate run stops starting jobs after 1.5× its planned duration: a system that falls behind is measured, not waited for. */
const RATE_OVERRUN = 1.5;

export interface LifecycleResult {
  label: string;
  jobs: number;
  /** Planned jobs never started because a rate run fell behind (see RATE_OVERRUN). */
  notStarted: number;
  concurrency: number;
  offeredRate: number | null;
  durationMs: number;
  /** Jobs per second from the first start request until every alert and per-alert email landed. */
  jobsPerSec: number;
  /** Jobs per second counted on the HTTP calls alone (first start → last complete answered). */
  httpJobsPerSec: number;
  errors: string[];
  startHttp: Summary;
  completeHttp: Summary;
  alertsExpected: number;
  alertsSeen: number;
  emailsExpected: number;
  emailsSeen: number;
  completeToAlert: Summary;
  alertToEmail: Summary;
  visibleToEmail: Summary;
  /** New alerts, each owing one `alert.raised` webhook (every vault of (a) has one). */
  webhooksExpected: number;
  webhooksSeen: number;
  /** From the alert's raisedAt to the bench receiver accepting its `alert.raised` webhook. */
  alertToWebhook: Summary;
  workerRssMaxBytes: number;
  apiRssMaxBytes: number;
}

type Watch = AlertWatch;

export async function runLifecycle(options: LifecycleOptions): Promise<LifecycleResult> {
  const { baseUrl, sql, jobs, concurrency, ratePerSec, label } = options;
  const errors: string[] = [];
  const startHttp: number[] = [];
  const completeHttp: number[] = [];
  const watches = new Map<string, Watch>();
  const pending = new Map<string, Watch>();
  options.workerRss.reset();
  options.apiRss.reset();

  // Alert visibility: the alert_occurrences row is written in the alert's transaction and has a
  // primary key on (vault_id, job_id), so polling it for the few outstanding jobs stays cheap.
  let polling = true;
  let drainDeadline = Number.POSITIVE_INFINITY;
  let lastVisibleAt = 0;
  const poller = (async () => {
    while (polling || pending.size > 0) {
      if (pending.size > 0) {
        const ids = [...pending.keys()];
        const vaults = [...new Set([...pending.values()].map((w) => w.vaultId))];
        const rows = await sql<{ job_id: string; alert_id: string; is_new: boolean }[]>`
          select job_id, alert_id, is_new from alert_occurrences where vault_id = any(${vaults}) and job_id = any(${ids})`;
        const seenAt = Date.now();
        for (const row of rows) {
          const watch = pending.get(row.job_id);
          if (!watch) continue;
          pending.delete(row.job_id);
          Object.assign(watch, { visibleAt: seenAt, alertId: row.alert_id, isNew: row.is_new });
          lastVisibleAt = seenAt;
        }
      }
      if (!polling && Date.now() > drainDeadline) break;
      await sleep(ALERT_POLL_MS);
    }
  })();

  const firstStart = Date.now();
  let next = 0;
  let done = 0;
  let notStarted = 0;
  const startDeadline = ratePerSec ? firstStart + (jobs.length / ratePerSec) * 1000 * RATE_OVERRUN : Number.POSITIVE_INFINITY;
  let lastCompleteAt = firstStart;
  const report = setInterval(() => {
    const elapsed = (Date.now() - firstStart) / 1000;
    progress(`${label}: ${bar(done, jobs.length)} ${done}/${jobs.length} jobs  ${(done / elapsed).toFixed(1)} jobs/s  ` +
      `alerts pending ${pending.size}  worker ${mb(options.workerRss.current())}  errors ${errors.length}`);
  }, 500);

  async function lane(): Promise<void> {
    for (;;) {
      const index = next++;
      const job = jobs[index];
      if (!job) return;
      if (ratePerSec) {
        const due = firstStart + (index * 1000) / ratePerSec;
        if (due > Date.now()) await sleep(due - Date.now());
        if (Date.now() > startDeadline) {
          notStarted += 1;
          continue;
        }
      }
      try {
        const t0 = Date.now();
        const started = await call(baseUrl, 'POST', `/v1/vaults/${job.vaultId}/jobs`, {
          jobId: job.jobId, workloadType: job.workloadType, operation: job.operation, trigger: job.trigger, entityName: job.entityName,
        });
        const t1 = Date.now();
        if (started.status !== 201) throw new Error(`start ${started.status} ${started.text.slice(0, 200)}`);
        startHttp.push(t1 - t0);
        const watch: Watch = { vaultId: job.vaultId, completeSentAt: Date.now() };
        if (job.raisesAlert) {
          watches.set(job.jobId, watch);
          pending.set(job.jobId, watch);
        }
        const ended = job.outcome === 'cancel'
          ? await call(baseUrl, 'POST', `/v1/vaults/${job.vaultId}/jobs/${job.jobId}/cancel`)
          : await call(baseUrl, 'POST', `/v1/vaults/${job.vaultId}/jobs/${job.jobId}/complete`, job.outcome);
        const t2 = Date.now();
        if (ended.status !== 202) throw new Error(`complete ${ended.status} ${ended.text.slice(0, 200)}`);
        completeHttp.push(t2 - watch.completeSentAt);
        lastCompleteAt = Math.max(lastCompleteAt, t2);
        if (options.awaitJobWorkflow) {
          await options.awaitJobWorkflow(job.vaultId, job.jobId);
          lastCompleteAt = Math.max(lastCompleteAt, Date.now());
        }
      } catch (error) {
        // fetch hides the reason ("fetch failed") in its cause: keep both.
        const cause = error instanceof Error && error.cause instanceof Error ? `: ${(error.cause as Error & { code?: string }).code ?? ''} ${error.cause.message}` : '';
        errors.push(`${error instanceof Error ? error.message : String(error)}${cause}`);
        pending.delete(job.jobId);
        watches.delete(job.jobId);
      }
      done += 1;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));

  // Drain: every expected alert visible, then every per-alert and destructive email and every webhook accepted.
  drainDeadline = Date.now() + (options.drainTimeoutMs ?? 60_000);
  polling = false;
  await poller;
  clearInterval(report);

  const seen = [...watches.values()].filter((w) => w.alertId);
  const notify = await drainNotifications({ label, sql, resend: options.resend, receiver: options.receiver, jobs, watches, deadline: drainDeadline });
  const endedAt = Math.max(lastCompleteAt, lastVisibleAt, notify.lastAt);
  const durationMs = endedAt - firstStart;
  const missing = watches.size - seen.length;
  if (missing > 0) log(`${label}: ${missing} expected alerts never became visible`);
  if (notify.emailsSeen < notify.emailsExpected) log(`${label}: only ${notify.emailsSeen}/${notify.emailsExpected} emails accepted before the drain timeout`);
  if (notify.webhooksSeen < notify.webhooksExpected) log(`${label}: only ${notify.webhooksSeen}/${notify.webhooksExpected} webhooks accepted before the drain timeout`);
  const ran = jobs.length - notStarted;
  if (notStarted > 0) log(`${label}: fell behind the rate; ${notStarted} of ${jobs.length} jobs were not started`);
  return {
    label,
    jobs: ran,
    notStarted,
    concurrency,
    offeredRate: ratePerSec ?? null,
    durationMs,
    jobsPerSec: (ran * 1000) / durationMs,
    httpJobsPerSec: (ran * 1000) / (lastCompleteAt - firstStart),
    errors,
    startHttp: summarize(startHttp),
    completeHttp: summarize(completeHttp),
    alertsExpected: watches.size,
    alertsSeen: seen.length,
    emailsExpected: notify.emailsExpected,
    emailsSeen: notify.emailsSeen,
    completeToAlert: summarize(seen.map((w) => w.visibleAt! - w.completeSentAt)),
    alertToEmail: notify.alertToEmail,
    visibleToEmail: notify.visibleToEmail,
    webhooksExpected: notify.webhooksExpected,
    webhooksSeen: notify.webhooksSeen,
    alertToWebhook: notify.alertToWebhook,
    workerRssMaxBytes: options.workerRss.max(),
    apiRssMaxBytes: options.apiRss.max(),
  };
}
