// Scale-out proof (DESIGN §3 "nothing may assume one process", issue 17): on the real cluster, two
// worker processes and two API processes on one task queue; a few hundred jobs over several
// vaults, each started through one API and ended through the other; one worker SIGKILLed mid-run.
// Afterwards exactly the jobs and alerts the rules give for what was sent, none twice, one email
// per alert, and one digest for a vault whose alerts arrived through both APIs.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../scripts/lib/cluster';
import { startFakeResend, type FakeResend } from '../support/fake-resend';
import { appEnv, clusterDatabaseUrl, eventually, killAll, spawnApi, spawnApp, startTestCluster, type ApiCall, type AppProcess } from './support';

const JOBS = 300;
const VAULTS = 4;
const DIGEST_MS = 15_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// What is sent, and the alert the §2.2 rules give for it (null: none). Written out here rather
// than computed with domain/alert-rules.ts, so the check does not share the code it checks.
const OUTCOMES = [
  { workloadType: 'AzureVM', operation: 'Backup', end: { status: 'Failed', errorCode: 'UserErrorDiskFull' }, alert: 'BackupFailure' },
  { workloadType: 'AzureVM', operation: 'Backup', end: { status: 'Completed' }, alert: null },
  { workloadType: 'MAB', operation: 'Backup', end: { status: 'CompletedWithWarnings', warnings: ['slow disk'] }, alert: 'BackupSucceededWithWarnings' },
  { workloadType: 'AzureVM', operation: 'Backup', end: { status: 'Failed', errorCode: 'UserErrorBackupOperationInProgress' }, alert: null },
  { workloadType: 'AzureFiles', operation: 'Restore', end: { status: 'Failed', errorCode: 'RestoreFailed' }, alert: 'RestoreFailure' },
  { workloadType: 'AzureVM', operation: 'Backup', end: 'cancel', alert: null },
  { workloadType: 'AzureVM', operation: 'Backup', end: { status: 'Failed', errorCode: 'UserErrorVmNotFoundV2' }, alert: null },
] as const;

let cluster: Cluster;
let resend: FakeResend;
let sql: postgres.Sql;
let temporal: Client;
let connection: Connection;
let apis: ApiCall[];
let workers: AppProcess[];
const taskQueue = `scale-${randomUUID()}`;

beforeAll(async () => {
  cluster = await startTestCluster('scale');
  resend = await startFakeResend();
  sql = postgres(clusterDatabaseUrl(), { max: 4, onnotice: () => {} });
  connection = await Connection.connect({ address: cluster.address });
  temporal = new Client({ connection, namespace: cluster.namespace });
  const settings = { ...cluster.clientEnv, TEMPORAL_TASK_QUEUE: taskQueue, RESEND_BASE_URL: resend.baseUrl, DIGEST_INTERVAL: `${DIGEST_MS}ms` };
  workers = [spawnApp('worker', appEnv(settings)), spawnApp('worker', appEnv(settings))];
  apis = (await Promise.all([spawnApi(settings), spawnApi(settings)])).map((api) => api.call);
  await Promise.all(workers.map((worker) => worker.ready));
});
afterAll(async () => {
  killAll();
  await connection?.close();
  await sql?.end({ timeout: 5 });
  await resend?.stop();
  await cluster?.stop();
});

const mailOf = (vaultId: string) => resend.deliveries.filter((d) => `${d.subject} ${d.text}`.includes(vaultId));

async function vault(call: ApiCall, prefix: string, settings?: { frequency: 'PerAlert' | 'HourlyDigest' }) {
  const vaultId = `${prefix}-${randomUUID().slice(0, 8)}`;
  expect((await call('PUT', `/v1/vaults/${vaultId}`, { name: vaultId, subscriptionId: 'sub-1', contacts: { owners: [], admins: [], coAdmins: [] } })).status).toBe(201);
  if (settings) {
    const saved = await call('PUT', `/v1/vaults/${vaultId}/notification-settings`, { enabled: true, recipients: ['ops@contoso.com'], ...settings });
    expect(saved.status).toBe(200);
  }
  return vaultId;
}

/** Starts a job through one API and ends it through the other. */
async function runJob(vaultId: string, index: number, outcome: (typeof OUTCOMES)[number], entityName: string) {
  const [first, second] = [apis[index % 2]!, apis[(index + 1) % 2]!];
  const started = await first('POST', `/v1/vaults/${vaultId}/jobs`, { workloadType: outcome.workloadType, operation: outcome.operation, trigger: 'User', entityName });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const ended = outcome.end === 'cancel'
    ? await second('POST', `/v1/vaults/${vaultId}/jobs/${started.body.id}/cancel`)
    : await second('POST', `/v1/vaults/${vaultId}/jobs/${started.body.id}/complete`, outcome.end);
  expect(ended.status, JSON.stringify(ended.body)).toBe(202);
  return started.body.id as string;
}

async function pool<T>(items: T[], size: number, each: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: size }, async () => {
    while (next < items.length) await each(items[next++]!);
  }));
}

describe('two workers and two APIs on the cluster', () => {
  it('a few hundred jobs, one worker SIGKILLed mid-run: exactly the expected jobs and alerts, none twice', async () => {
    const vaults = [await vault(apis[0]!, 'scale-mail', { frequency: 'PerAlert' })];
    for (let v = 1; v < VAULTS; v++) vaults.push(await vault(apis[v % 2]!, 'scale'));
    const plan = Array.from({ length: JOBS }, (_, i) => ({
      i, vaultId: vaults[i % VAULTS]!, outcome: OUTCOMES[i % OUTCOMES.length]!, entityName: `item-${String(i).padStart(4, '0')}`,
    }));
    const sent = new Map<string, (typeof plan)[number]>();
    let done = 0;
    await pool(plan, 12, async (job) => {
      sent.set(await runJob(job.vaultId, job.i, job.outcome, job.entityName), job);
      if (++done === Math.floor(JOBS / 3)) workers[0]!.child.kill('SIGKILL'); // mid-run, jobs in flight
    });
    expect((await workers[0]!.exited).signal).toBe('SIGKILL');
    expect(workers[1]!.child.exitCode).toBeNull();

    // Every job reaches the status it was sent, on the surviving worker.
    const expectedStatus = (job: (typeof plan)[number]) => job.outcome.end === 'cancel' ? 'Cancelled' : job.outcome.end.status;
    const rows = await eventually(async () => {
      const found = await sql<{ id: string; vault_id: string; entity_name: string; status: string }[]>`
        select id, vault_id, entity_name, status from jobs where vault_id in ${sql(vaults)}`;
      return found.length === JOBS && found.every((row) => row.status !== 'InProgress') ? found : null;
    }, 'every job to end', 180_000);
    expect(new Set(rows.map((row) => `${row.vault_id}/${row.id}`)).size).toBe(JOBS);
    for (const row of rows) {
      const job = sent.get(row.id)!;
      expect({ id: row.id, vault: row.vault_id, entity: row.entity_name, status: row.status })
        .toEqual({ id: row.id, vault: job.vaultId, entity: job.entityName, status: expectedStatus(job) });
    }

    // Exactly the expected alerts: one per alerting job, none for the others, none twice.
    const expected = plan.filter((job) => job.outcome.alert).map((job) => `${job.vaultId} ${job.entityName} ${job.outcome.alert}`).sort();
    const alerts = await eventually(async () => {
      const found = await sql<{ vault_id: string; entity_name: string; scenario: string; job_id: string; occurrences: number }[]>`
        select vault_id, entity_name, scenario, job_id, occurrences from alerts where vault_id in ${sql(vaults)}`;
      return found.length >= expected.length ? found : null;
    }, 'the alerts', 120_000);
    await sleep(2_000); // a late duplicate would show up now
    const settled = await sql`select count(*)::int as n from alerts where vault_id in ${sql(vaults)}`;
    expect(settled[0]!.n).toBe(expected.length);
    expect(alerts.map((a) => `${a.vault_id} ${a.entity_name} ${a.scenario}`).sort()).toEqual(expected);
    expect(alerts.every((a) => a.occurrences === 1)).toBe(true);
    expect(new Set(alerts.map((a) => a.job_id)).size).toBe(alerts.length);

    // The PerAlert vault: one email per alert, whichever worker sent it.
    const mailVault = vaults[0]!;
    const alerted = plan.filter((job) => job.vaultId === mailVault && job.outcome.alert).map((job) => job.entityName);
    await eventually(async () => alerted.every((name) => mailOf(mailVault).some((d) => d.text?.includes(name))), 'an email per alert', 120_000);
    await sleep(2_000);
    for (const name of alerted) expect(mailOf(mailVault).filter((d) => d.text?.includes(name)), name).toHaveLength(1);

    // The cluster's visibility store (Postgres) answers search-attribute queries for these jobs.
    const failed = plan.filter((job) => job.outcome.end !== 'cancel' && job.outcome.end.status === 'Failed').length;
    await eventually(async () => (await temporal.workflow.count(`TaskQueue = "${taskQueue}" AND JobStatus = "Failed"`)).count === failed,
      'visibility to count the failed jobs', 60_000);
  });

  it('a digest vault whose alerts arrived through both APIs gets one digest with all of them', async () => {
    const vaultId = await vault(apis[1]!, 'scale-digest', { frequency: 'HourlyDigest' });
    const names = Array.from({ length: 6 }, (_, i) => `digest-item-${i}`);
    // Inside one window: start right after a window boundary (windows are aligned to the interval).
    await sleep(DIGEST_MS - (Date.now() % DIGEST_MS) + 200);
    await Promise.all(names.map((name, i) => runJob(vaultId, i, OUTCOMES[0], name)));
    const digest = await eventually(async () => mailOf(vaultId).find((d) => names.every((name) => d.text?.includes(name))),
      'one digest with every alert', 4 * DIGEST_MS);
    expect(digest.to).toEqual(['ops@contoso.com']);
    await sleep(DIGEST_MS + 2_000); // the next window has nothing new: no second digest
    const mentioning = mailOf(vaultId).filter((d) => names.some((name) => d.text?.includes(name)));
    expect(mentioning).toHaveLength(1);
    const [row] = await sql`select count(*)::int as n from alerts where vault_id = ${vaultId}`;
    expect(row!.n).toBe(names.length);
  });
});
