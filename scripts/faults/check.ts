// Compares what the product did with what the rules (plan.ts) say it must have done.
import type postgres from 'postgres';
import { KINDS, type PlannedJob } from './plan';
import type { NotificationLog } from './notification-log';

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
}

export interface CheckResult {
  failures: string[];
  counts: Record<string, number>;
}

const key = (parts: unknown[]) => JSON.stringify(parts);

export async function check(sql: postgres.Sql, vaults: VaultSetup[], runs: JobRun[], log: NotificationLog): Promise<CheckResult> {
  const failures: string[] = [];
  const fail = (line: string) => failures.length < 200 && failures.push(line);
  const vaultIds = vaults.map((v) => v.vaultId);
  const jobs = new Map((await sql<{ vault_id: string; id: string; status: string; error_code: string | null }[]>`
    select vault_id, id, status, error_code from jobs where vault_id = any(${vaultIds})`).map((r) => [`${r.vault_id}/${r.id}`, r]));
  const claims = new Map((await sql<{ vault_id: string; job_id: string; kind: string; signal: { status?: string } }[]>`
    select vault_id, job_id, kind, signal from job_outcomes where vault_id = any(${vaultIds})`).map((r) => [`${r.vault_id}/${r.job_id}`, r]));

  // ---- jobs: every one recorded once, terminal, with the outcome its service reported
  let terminal = 0;
  for (const run of runs) {
    const { job } = run;
    const facts = KINDS[job.kind];
    const id = `${job.vaultId}/${job.jobId}`;
    if (run.start !== 201 && run.start !== 200) fail(`${id}: start answered ${run.start}`);
    const row = jobs.get(id);
    if (!row) { fail(`${id}: no job row`); continue; }
    if (row.status === 'InProgress') { fail(`${id}: still InProgress`); continue; }
    terminal++;
    if (row.status !== facts.finalStatus) fail(`${id} (${job.kind}): status ${row.status}, expected ${facts.finalStatus}`);
    if (facts.finalErrorCode && row.error_code !== facts.finalErrorCode) fail(`${id}: errorCode ${row.error_code}, expected ${facts.finalErrorCode}`);
    if (facts.outcome === 'none') continue;
    const claim = claims.get(id);
    const expectedKind = facts.outcome === 'cancel' ? 'cancel' : 'complete';
    if (!claim || claim.kind !== expectedKind || (expectedKind === 'complete' && claim.signal.status !== (facts.outcome as { status: string }).status)) {
      fail(`${id}: claimed outcome ${claim ? `${claim.kind} ${claim.signal.status ?? ''}` : 'missing'}`);
    }
    if (run.outcome !== 202 && !(run.outcome === 409 && run.outcomeAmbiguous)) fail(`${id}: outcome answered ${run.outcome}`);
  }
  const jobRows = jobs.size;
  if (jobRows !== runs.length) fail(`${jobRows} job rows for ${runs.length} jobs started`);

  // ---- alerts: exactly the expected ones (one per alerting job, one per vault for the repeats)
  const alertRows = await sql<{ id: string; vault_id: string; scenario: string; severity: string; job_id: string; occurrences: number; status: string }[]>`
    select id, vault_id, scenario, severity, job_id, occurrences, status from alerts where vault_id = any(${vaultIds})`;
  const expected = new Map<string, { scenario: string; severity: string; occurrences: number; jobIds: Set<string>; destructive: boolean; vaultId: string }>();
  for (const { job } of runs) {
    const alert = KINDS[job.kind].alert;
    if (!alert) continue;
    const k = alert.consolidated ? key([job.vaultId, 'repeat']) : key([job.vaultId, job.jobId]);
    const entry = expected.get(k) ?? { ...alert, occurrences: 0, jobIds: new Set<string>(), vaultId: job.vaultId };
    entry.occurrences++;
    entry.jobIds.add(job.jobId);
    expected.set(k, entry);
  }
  const matched = new Map<string, { id: string; vaultId: string; destructive: boolean }>();
  for (const row of alertRows) {
    const consolidated = expected.get(key([row.vault_id, 'repeat']));
    const k = consolidated?.jobIds.has(row.job_id) ? key([row.vault_id, 'repeat']) : key([row.vault_id, row.job_id]);
    const want = expected.get(k);
    if (!want) { fail(`unexpected alert ${row.id} (${row.scenario}) for job ${row.vault_id}/${row.job_id}`); continue; }
    if (matched.has(k)) { fail(`second alert ${row.id} for ${k}`); continue; }
    matched.set(k, { id: row.id, vaultId: row.vault_id, destructive: want.destructive });
    if (row.scenario !== want.scenario || row.severity !== want.severity) fail(`alert ${row.id}: ${row.scenario}/${row.severity}, expected ${want.scenario}/${want.severity}`);
    if (row.occurrences !== want.occurrences) fail(`alert ${row.id}: ${row.occurrences} occurrences, expected ${want.occurrences}`);
  }
  for (const k of expected.keys()) if (!matched.has(k)) fail(`missing alert for ${k}`);

  // ---- notifications: each expected one delivered exactly once, nothing else
  const { notifications, unmatched, pending } = await log.read();
  if (unmatched) fail(`${unmatched} emails received that no outbox row explains`);
  if (pending) fail(`${pending} notifications not delivered`);
  const want = new Map<string, number>();
  const add = (parts: unknown[]) => want.set(key(parts), (want.get(key(parts)) ?? 0) + 1);
  const digestAlerts = new Map<string, string[]>();
  for (const vault of vaults) for (const recipient of vault.recipients) add(['welcome', vault.vaultId, [], [recipient]]);
  for (const alert of matched.values()) {
    const vault = vaults.find((v) => v.vaultId === alert.vaultId)!;
    if (alert.destructive) add(['destructive', vault.vaultId, [alert.id], [...vault.contacts].sort()]);
    if (vault.frequency === 'PerAlert') add(['alert', vault.vaultId, [alert.id], [...vault.recipients].sort()]);
    else digestAlerts.set(vault.vaultId, [...(digestAlerts.get(vault.vaultId) ?? []), alert.id]);
  }
  const got = new Map<string, number>();
  const digested = new Map<string, string[]>();
  for (const n of notifications) {
    if (n.received !== 1) fail(`${n.kind} email for ${n.vaultId} ${n.alertIds.join(',')} received ${n.received} times`);
    if (n.kind === 'digest') { digested.set(n.vaultId, [...(digested.get(n.vaultId) ?? []), ...n.alertIds]); continue; }
    const k = key([n.kind, n.vaultId, n.alertIds, n.targets]);
    got.set(k, (got.get(k) ?? 0) + 1);
  }
  for (const [k, n] of want) if ((got.get(k) ?? 0) !== n) fail(`expected ${n}× ${k}, delivered ${got.get(k) ?? 0}×`);
  for (const [k, n] of got) if (!want.has(k)) fail(`unexpected ${n}× ${k}`);
  for (const vault of vaults.filter((v) => v.frequency === 'HourlyDigest')) {
    const expectedIds = [...(digestAlerts.get(vault.vaultId) ?? [])].sort();
    const ids = [...(digested.get(vault.vaultId) ?? [])].sort();
    if (key(ids) !== key(expectedIds)) fail(`digests of ${vault.vaultId} listed ${ids.length} alerts (${new Set(ids).size} distinct), expected ${expectedIds.length}`);
  }

  return {
    failures,
    counts: {
      jobs: runs.length, jobRows, terminal, alerts: alertRows.length, expectedAlerts: expected.size,
      consolidatedOccurrences: runs.filter((r) => r.job.kind === 'repeat').length,
      emails: notifications.length, digests: notifications.filter((n) => n.kind === 'digest').length,
      expectedNonDigestEmails: [...want.values()].reduce((a, b) => a + b, 0),
    },
  };
}
