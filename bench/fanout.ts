// Phase (f): webhook fan-out. One vault with N standard webhooks (created through the API), N − 1
// of them answering 204 at once and the last one hanging (it reads the request and never answers,
// so each attempt ends at the worker's 10 s delivery timeout and is retried). One failing backup job
// through the API raises one alert; the phase times each healthy delivery from the alert's raisedAt
// and checks that the hanging endpoint, still Pending and retrying, held none of them back.
import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { wasAccepted, type WebhookReceiver } from '../scripts/lib/webhook-receiver';
import { addWebhook, call, deleteWebhook, putVault } from './lib/api-call';
import { log, progress, progressDone } from './lib/progress';
import { ms, summarize, type Summary } from './lib/stats';

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));
const VAULT = 'fanout-00';
/** How long the phase waits to see the hanging delivery's first attempt time out and a retry start. */
const RETRY_WAIT_MS = 25_000;

export interface FanoutResult {
  hooks: number;
  healthy: number;
  healthyAccepted: number;
  /** raisedAt → each healthy endpoint accepting the alert.raised webhook. */
  perHook: Summary;
  /** raisedAt → the last of the healthy ones accepted; null when not all arrived. */
  allHealthyMs: number | null;
  /** raisedAt → the hanging endpoint receiving its first attempt (it started beside the others). */
  hangFirstRequestMs: number | null;
  /** Attempts the hanging endpoint received before the phase ended. */
  hangRequests: number;
  hangStatus: string;
  hangAttempts: number;
  hangLastError: string | null;
  /** POST …/complete answered, for context. */
  completeHttpMs: number;
  /** raisedAt → the healthy deliveries' rows planned (created_at), and their attempts started (last_attempt_at). */
  plannedMs?: Summary;
  attemptStartMs?: Summary;
  /** Attempt start → the endpoint accepted it, per healthy delivery. */
  attemptToAcceptedMs?: Summary;
}

export async function runFanout(options: { baseUrl: string; sql: postgres.Sql; receiver: WebhookReceiver; hooks: number }): Promise<FanoutResult> {
  const { baseUrl, sql, receiver } = options;
  await putVault(baseUrl, VAULT, 'Fan-out vault');
  const okPaths = Array.from({ length: options.hooks - 1 }, (_, i) => `/hook/f/ok-${String(i).padStart(2, '0')}`);
  const hangPath = '/hang/f';
  await Promise.all(okPaths.map((path) => addWebhook(baseUrl, VAULT, receiver.url(path), `healthy ${path}`)));
  const hangId = await addWebhook(baseUrl, VAULT, receiver.url(hangPath), 'hangs: never answers');
  const hangsBefore = receiver.callsTo(hangPath).length;

  const jobId = randomUUID();
  const started = await call(baseUrl, 'POST', `/v1/vaults/${VAULT}/jobs`, {
    jobId, workloadType: 'AzureVM', operation: 'Backup', trigger: 'Scheduled', entityName: 'vm-fanout',
  });
  if (started.status !== 201) throw new Error(`(f) start ${started.status} ${started.text.slice(0, 200)}`);
  const t0 = Date.now();
  const completed = await call(baseUrl, 'POST', `/v1/vaults/${VAULT}/jobs/${jobId}/complete`, {
    status: 'Failed', errorCode: 'UserErrorGuestAgentStatusUnavailable', errorMessage: 'The VM agent is unable to communicate.',
  });
  const completeHttpMs = Date.now() - t0;
  if (completed.status !== 202) throw new Error(`(f) complete ${completed.status} ${completed.text.slice(0, 200)}`);

  const deadline = Date.now() + 60_000;
  let found: { id: string; raised_at: Date } | undefined;
  while (!found && Date.now() < deadline) {
    [found] = await sql<{ id: string; raised_at: Date }[]>`
      select a.id::text as id, a.raised_at from alert_occurrences o join alerts a on a.id = o.alert_id
      where o.vault_id = ${VAULT} and o.job_id = ${jobId}`;
    if (!found) await sleep(20);
  }
  if (!found) throw new Error('(f) the alert never appeared');
  const alert = found;
  const raisedAt = alert.raised_at.getTime();
  const arrived = () => okPaths.filter((path) => receiver.raised(alert.id, path)).length;
  while (Date.now() < deadline && arrived() < okPaths.length) {
    progress(`(f) ${arrived()}/${okPaths.length} healthy webhooks accepted, hanging endpoint ${receiver.callsTo(hangPath).length - hangsBefore} request(s)`);
    await sleep(20);
  }
  const latencies = okPaths.map((path) => receiver.raised(alert.id, path)).filter((hook) => hook !== undefined).map((hook) => hook.at - raisedAt);
  const allHealthyMs = latencies.length === okPaths.length ? Math.max(...latencies) : null;
  log(`(f) ${latencies.length}/${okPaths.length} healthy webhooks accepted, the last ${allHealthyMs === null ? 'never' : `${ms(allHealthyMs)} after raisedAt`}; ` +
    'waiting for the hanging delivery to time out and retry');

  // The hanging delivery: its first attempt ends at the 10 s channel timeout, then Temporal retries it.
  const hangRow = async () => (await sql<{ status: string; attempts: number; last_error: string | null }[]>`
    select status, attempts, last_error from deliveries where webhook_id = ${hangId}::uuid and alert_id = ${alert.id}::uuid`)[0];
  const retryDeadline = Date.now() + RETRY_WAIT_MS;
  let row = await hangRow();
  while (Date.now() < retryDeadline && !(row && row.attempts >= 2)) {
    progress(`(f) hanging delivery: ${row?.status ?? 'not planned'}, ${row?.attempts ?? 0} attempt(s)`);
    await sleep(250);
    row = await hangRow();
  }
  progressDone();
  const hangs = receiver.callsTo(hangPath).slice(hangsBefore);
  // Where the time went, from the delivery log: planned in the alert's transaction, then each attempt's start.
  const rows = await sql<{ id: string; created_at: Date; last_attempt_at: Date | null }[]>`
    select id::text as id, created_at, last_attempt_at from deliveries where alert_id = ${alert.id}::uuid and webhook_id <> ${hangId}::uuid`;
  const acceptedById = new Map(receiver.calls.filter(wasAccepted).map((hook) => [hook.webhookId, hook.at]));
  const attempted = rows.filter((r) => r.last_attempt_at);
  // Stop the retries: deleting the webhook fails its Pending delivery at the next attempt.
  await deleteWebhook(baseUrl, VAULT, hangId);
  return {
    hooks: options.hooks, healthy: okPaths.length, healthyAccepted: latencies.length, perHook: summarize(latencies), allHealthyMs,
    hangFirstRequestMs: hangs[0] ? hangs[0].at - raisedAt : null, hangRequests: hangs.length,
    hangStatus: row?.status ?? 'not planned', hangAttempts: row?.attempts ?? 0, hangLastError: row?.last_error ?? null, completeHttpMs,
    plannedMs: summarize(rows.map((r) => r.created_at.getTime() - raisedAt)),
    attemptStartMs: summarize(attempted.map((r) => r.last_attempt_at!.getTime() - raisedAt)),
    attemptToAcceptedMs: summarize(attempted.filter((r) => acceptedById.has(r.id)).map((r) => acceptedById.get(r.id)! - r.last_attempt_at!.getTime())),
  };
}

/** Rows for the bench table. */
export function fanoutRows(f: FanoutResult): string[][] {
  return [
    ['webhooks on the vault', `${f.hooks} (${f.healthy} answer 204 at once, 1 never answers)`],
    ['healthy deliveries accepted', `${f.healthyAccepted}/${f.healthy}`],
    ['raisedAt → each healthy one p50 / p95 / max', `${ms(f.perHook.p50)} / ${ms(f.perHook.p95)} / ${ms(f.perHook.max)}`],
    [`raisedAt → all ${f.healthy} healthy accepted`, f.allHealthyMs === null ? 'not all' : ms(f.allHealthyMs)],
    ...(f.plannedMs && f.attemptStartMs && f.attemptToAcceptedMs ? [
      ['raisedAt → healthy deliveries planned (rows written)', ms(f.plannedMs.max)],
      ['raisedAt → their attempts started, first / p50 / last', `${ms(f.attemptStartMs.min ?? Number.NaN)} / ${ms(f.attemptStartMs.p50)} / ${ms(f.attemptStartMs.max)}`],
      ['attempt start → accepted, p50 / max', `${ms(f.attemptToAcceptedMs.p50)} / ${ms(f.attemptToAcceptedMs.max)}`],
    ] : []),
    ['raisedAt → hanging endpoint\'s first attempt', f.hangFirstRequestMs === null ? 'never' : ms(f.hangFirstRequestMs)],
    ['hanging delivery afterwards', `${f.hangStatus}, ${f.hangAttempts} attempt(s), ${f.hangRequests} request(s) held${f.hangLastError ? `; last error "${f.hangLastError}"` : ''}`],
  ];
}
