// Compares what the product did with what the rules (plan.ts and the silence, watch and webhook
// modules) say it must have done: exact expected sets, nothing else.
import type postgres from 'postgres';
import type { WebhookReceiver } from '../lib/webhook-receiver';
import { checkEmails } from './emails';
import { checkJobs } from './jobs-check';
import type { AlertOutcome } from './model';
import type { NotificationLog } from './notification-log';
import { KINDS, type PlannedJob } from './plan';
import { checkSilences, type AlertRow, type SilencePlan } from './silences';
import { checkWatch, type WatchItem } from './watch';
import { checkWebhooks, type WebhookSetup } from './webhooks';

export interface VaultSetup {
  vaultId: string;
  frequency: 'PerAlert' | 'HourlyDigest';
  recipients: string[];
  contacts: string[];
}

export interface JobRun {
  job: PlannedJob;
  start: number;
  outcome: number | null;
  /** The outcome answer was a 409 after an attempt that may have landed: judged by the claim. */
  outcomeAmbiguous: boolean;
  /** Duplicate jobs: every start answer, and both outcome answers. */
  starts?: number[];
  startsAmbiguous?: boolean;
  outcomes?: number[];
}

export interface CheckInput {
  vaults: VaultSetup[];
  runs: JobRun[];
  log: NotificationLog;
  silences: SilencePlan[];
  watch: { vaultId: string; items: WatchItem[] };
  hooks: WebhookSetup[];
  endpoints: WebhookReceiver;
}

export interface CheckResult {
  failures: string[];
  counts: Record<string, number>;
}

const key = (parts: unknown[]) => JSON.stringify(parts);

export async function check(sql: postgres.Sql, input: CheckInput): Promise<CheckResult> {
  const failures: string[] = [];
  const fail = (line: string) => void (failures.length < 200 && failures.push(line));
  const { vaults, runs } = input;
  const jobVaults = vaults.map((v) => v.vaultId).filter((id) => id !== input.watch.vaultId);
  const jobCounts = await checkJobs(sql, vaults.map((v) => v.vaultId), runs, fail);

  // ---- alerts of the job vaults: one per alerting job, one per vault for the repeats; a failure
  // that was fixed is resolved by its fix, every other alert stays Active (nobody acknowledges).
  const alertRows = await sql<(AlertRow & { job_id: string; occurrences: number; resolution: string | null; resolved_by_job_id: string | null })[]>`
    select id, vault_id, scenario, severity, workload_type, entity_name, status, suppressed, job_id, occurrences, resolution, resolved_by_job_id
    from alerts where vault_id = any(${jobVaults})`;
  type Expected = { scenario: string; severity: string; occurrences: number; jobIds: Set<string>; destructive: boolean; vaultId: string; fixJobId?: string };
  const expected = new Map<string, Expected>();
  for (const { job } of runs) {
    const alert = KINDS[job.kind].alert;
    if (!alert) continue;
    const k = alert.consolidated ? key([job.vaultId, 'repeat']) : key([job.vaultId, job.jobId]);
    const entry = expected.get(k) ?? { ...alert, occurrences: 0, jobIds: new Set<string>(), vaultId: job.vaultId };
    entry.occurrences++;
    entry.jobIds.add(job.jobId);
    if (job.fix) entry.fixJobId = `${job.jobId}-fix`;
    expected.set(k, entry);
  }
  const silence = await checkSilences(sql, input.silences, alertRows, fail);
  const matched = new Map<string, AlertOutcome>();
  for (const row of alertRows) {
    const consolidated = expected.get(key([row.vault_id, 'repeat']));
    const k = consolidated?.jobIds.has(row.job_id) ? key([row.vault_id, 'repeat']) : key([row.vault_id, row.job_id]);
    const want = expected.get(k);
    if (!want) { fail(`unexpected alert ${row.id} (${row.scenario}) for job ${row.vault_id}/${row.job_id}`); continue; }
    if (matched.has(k)) { fail(`second alert ${row.id} for ${k}`); continue; }
    if (row.scenario !== want.scenario || row.severity !== want.severity) fail(`alert ${row.id}: ${row.scenario}/${row.severity}, expected ${want.scenario}/${want.severity}`);
    if (row.occurrences !== want.occurrences) fail(`alert ${row.id}: ${row.occurrences} occurrences, expected ${want.occurrences}`);
    if (want.fixJobId && (row.status !== 'Inactive' || row.resolution !== 'AutoResolved' || row.resolved_by_job_id !== want.fixJobId)) {
      fail(`alert ${row.id}: ${row.status}/${row.resolution} by ${row.resolved_by_job_id}, expected resolved by ${want.fixJobId}`);
    }
    if (!want.fixJobId && row.status !== 'Active') fail(`alert ${row.id}: ${row.status}, expected Active`);
    // Suppressed and resolved under its silence: the flag stays set and nobody is ever told.
    const raisedNotified = !(silence.suppressed.has(row.id) && row.suppressed);
    matched.set(k, { id: row.id, vaultId: row.vault_id, severity: row.severity, destructive: want.destructive, raisedNotified, resolved: row.status === 'Inactive' });
  }
  for (const k of expected.keys()) if (!matched.has(k)) fail(`missing alert for ${k}`);

  const watch = await checkWatch(sql, input.watch.vaultId, input.watch.items, fail);
  const outcomes = [...matched.values(), ...watch.outcomes];
  const emailCounts = await checkEmails(vaults, outcomes, input.log, fail);
  const webhookCounts = await checkWebhooks(sql, input.hooks, outcomes, input.endpoints, fail);
  return {
    failures,
    counts: {
      ...jobCounts, alerts: alertRows.length, expectedAlerts: expected.size,
      resolvedAlerts: outcomes.filter((o) => o.resolved).length,
      ...silence.counts, ...watch.counts, ...emailCounts, ...webhookCounts,
    },
  };
}
