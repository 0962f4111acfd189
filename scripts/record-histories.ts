// Records real workflow histories for the replay test (tests/replay/replay.test.ts): runs today's
// workflows on a throwaway dev server and database through representative scenarios and saves each
// history as JSON under tests/replay/histories/<workflowType>/<case>.json.
//
//   npm run histories:record            # every case, existing files are kept
//   npm run histories:record -- --force # overwrite existing files too
//
// Keep old histories: they stand for workflows still running on the last deployed code. Record new
// ones after an intentional, versioned (`patched`) change, under a new case name if the old one stays.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import pino from 'pino';
import postgres from 'postgres';
import { createResendChannel } from '../channels/email-resend';
import { createWebhookChannel } from '../channels/webhook-http';
import { createApp } from '../api/app';
import { connectDb } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { startFakeResend } from '../tests/support/fake-resend';
import { HISTORIES_DIR as OUT, historyToFileText } from '../tests/replay/history-file';
import { vaultWorkflowStart } from '../notifications/dispatch';
import {
  backupWatchWorkflowId, completeJobSignal, deliveryWorkflowId, digestDueSignal, jobWorkflowId, silenceWorkflowId, VAULT_NOTIFICATIONS_WORKFLOW, vaultNotificationsWorkflowId,
} from '../workflows/definitions';
import { createWorker, WORKFLOWS_PATH } from '../worker/create-worker';
import { vaultReportWorkflowId } from '../workflows/report-definitions';
import { startDevServer } from './lib/dev-server';
import { ensureTemporalCli } from './lib/temporal-cli';

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TOKEN = 'bm_record_admin_0123456789abcdef0123456789abcdef';
const DIGEST_MS = 3_000;
const REPORT_MS = 3_000;
const force = process.argv.includes('--force');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => process.stderr.write(`[record] ${line}\n`);

async function until<T>(read: () => Promise<T>, what: string, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function main() {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const server = await startDevServer({ cliPath: await ensureTemporalCli() });
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/backup_monitor_record_${Date.now()}_${process.pid}`;
  const databaseUrl = dbUrl.toString();
  await migrateDatabase(databaseUrl);
  const database = connectDb(databaseUrl, { max: 8 });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const resend = await startFakeResend();
  const taskQueue = `record-${randomUUID()}`;
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } });
  let worker!: Worker;
  let close!: () => Promise<void>;
  let running!: Promise<void>;
  async function startWorker() {
    ({ worker, close } = await createWorker({
      temporalAddress: server.address, namespace: 'default', taskQueue, db: database.db, digestIntervalMs: DIGEST_MS,
      channels: {
        email: createResendChannel({ apiKey: 're_record', baseUrl: resend.baseUrl, from: 'Backup Monitor <alerts@monitor.example.com>', timeoutMs: 2_000 }),
        webhook: createWebhookChannel({ allowPrivateNetworks: true, timeoutMs: 2_000 }),
      },
      publicUrl: 'https://monitor.example.com',
      workflowBundle, clientConnection: connection, shutdownGraceTime: '1s', reportIntervalMs: REPORT_MS,
    }));
    running = worker.run();
  }
  await startWorker();
  const appFor = (jobTimeoutMs: number) => createApp({
    db: database.db, temporal: client, taskQueue, jobTimeoutMs, digestIntervalMs: DIGEST_MS,
    log: pino({ level: 'silent' }), adminToken: TOKEN,
  });
  const apps = { normal: appFor(3_600_000), short: appFor(2_000) };
  async function api(method: string, path: string, body?: unknown, app = apps.normal) {
    const response = await app.request(path, {
      method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  }
  const vault = async (name: string) => {
    const vaultId = `rec-${name}-${randomUUID().slice(0, 6)}`;
    await api('PUT', `/v1/vaults/${vaultId}`, { name, contacts: { owners: ['owner@contoso.com'], admins: [], coAdmins: [] } });
    return vaultId;
  };
  const settings = (vaultId: string, frequency: 'PerAlert' | 'HourlyDigest') =>
    api('PUT', `/v1/vaults/${vaultId}/notification-settings`, { enabled: true, recipients: ['ops@contoso.com'], frequency });
  type Spec = { workloadType?: string; trigger?: string; entityName?: string; operation?: string; outcome?: 'cancel' | 'none' | Record<string, unknown> };
  async function job(vaultId: string, spec: Spec = {}, app = apps.normal) {
    const started = await api('POST', `/v1/vaults/${vaultId}/jobs`, {
      workloadType: spec.workloadType ?? 'AzureVM', operation: spec.operation ?? 'Backup',
      trigger: spec.trigger ?? 'User', entityName: spec.entityName ?? 'vm-01',
    }, app);
    const jobId = started.id as string;
    const outcome = spec.outcome ?? { status: 'Completed' };
    if (outcome === 'cancel') await api('POST', `/v1/vaults/${vaultId}/jobs/${jobId}/cancel`, undefined, app);
    else if (outcome !== 'none') await api('POST', `/v1/vaults/${vaultId}/jobs/${jobId}/complete`, outcome, app);
    await client.workflow.getHandle(jobWorkflowId(vaultId, jobId)).result();
    return jobId;
  }
  async function save(type: string, name: string, workflowId: string, runId?: string) {
    const file = join(OUT, type, `${name}.json`);
    if (existsSync(file) && !force) return log(`kept ${type}/${name} (exists; --force overwrites)`);
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, historyToFileText(history));
    log(`saved ${type}/${name} (${history.events?.length} events)`);
  }
  const deliveryCount = async (vaultId: string) => (await database.sql`select count(*)::int as n from deliveries where vault_id = ${vaultId}`)[0]!.n as number;
  const mails = (vaultId: string) => resend.deliveries.filter((d) => d.text?.includes(vaultId) || d.html?.includes(vaultId));

  try {
    // ---- backupJob
    const plain = await vault('jobs');
    await save('backupJob', 'completed-no-alert', jobWorkflowId(plain, await job(plain)));
    await save('backupJob', 'failed-alert-handed-to-vault', jobWorkflowId(plain, await job(plain, {
      entityName: 'vm-failed', outcome: { status: 'Failed', errorCode: 'UserErrorDiskFull', errorMessage: 'The disk is full' },
    })));
    await save('backupJob', 'cancelled', jobWorkflowId(plain, await job(plain, { outcome: 'cancel' })));
    await save('backupJob', 'timed-out', jobWorkflowId(plain, await job(plain, { entityName: 'vm-slow', outcome: 'none' }, apps.short)));
    await save('backupJob', 'warnings-alert', jobWorkflowId(plain, await job(plain, {
      workloadType: 'MAB', entityName: 'srv-01', outcome: { status: 'CompletedWithWarnings', warnings: ['file skipped'] },
    })));
    await save('backupJob', 'destructive-delete', jobWorkflowId(plain, await job(plain, { operation: 'DeleteBackupData', entityName: 'vm-gone' })));
    const repeat = { workloadType: 'AzureWorkload', trigger: 'Scheduled', entityName: 'sql-01;db', outcome: { status: 'Failed', errorCode: 'SqlLogFull' } };
    await save('backupJob', 'consolidated-first', jobWorkflowId(plain, await job(plain, repeat)));
    await save('backupJob', 'consolidated-repeat', jobWorkflowId(plain, await job(plain, repeat)));

    await save('backupJob', 'failed-alert-dispatched', jobWorkflowId(plain, await job(plain, {
      entityName: 'vm-failed-v2', outcome: { status: 'Failed', errorCode: 'UserErrorDiskFull', errorMessage: 'The disk is full' },
    })));

    // Since patch raise-and-dispatch: one local activity raises and starts the deliveries, one
    // upsert carries JobStatus and AlertSeverity. The cases above were recorded before it and stay.
    await save('backupJob', 'raise-and-dispatch-failed', jobWorkflowId(plain, await job(plain, {
      entityName: 'vm-failed-v3', outcome: { status: 'Failed', errorCode: 'UserErrorDiskFull', errorMessage: 'The disk is full' },
    })));
    await save('backupJob', 'raise-and-dispatch-destructive', jobWorkflowId(plain, await job(plain, { operation: 'DeleteBackupData', entityName: 'vm-gone-v3' })));
    const repeatV3 = { ...repeat, entityName: 'sql-03;db' };
    await save('backupJob', 'raise-and-dispatch-consolidated-first', jobWorkflowId(plain, await job(plain, repeatV3)));
    const before = await deliveryCount(plain);
    await save('backupJob', 'raise-and-dispatch-consolidated-repeat', jobWorkflowId(plain, await job(plain, repeatV3)));
    // A consolidated repeat plans no delivery, so it starts none.
    if ((await deliveryCount(plain)) !== before) throw new Error('a consolidated repeat planned deliveries');

    // Outcomes as the API delivers them since outcome claims: before the first workflow task
    // (workers down), and twice (the sweeper re-signalling a claim): the repeat must be ignored.
    {
      const early = `early-${randomUUID().slice(0, 6)}`;
      worker.shutdown();
      await running;
      await close();
      await api('POST', `/v1/vaults/${plain}/jobs`, { jobId: early, workloadType: 'AzureVM', operation: 'Backup', trigger: 'User', entityName: 'vm-early' });
      await api('POST', `/v1/vaults/${plain}/jobs/${early}/complete`, { status: 'Failed', errorCode: 'UserErrorDiskFull' });
      await client.workflow.getHandle(jobWorkflowId(plain, early)).signal(completeJobSignal, { status: 'Failed', errorCode: 'UserErrorDiskFull', errorMessage: null, warnings: [], endedAt: new Date().toISOString() });
      await startWorker();
      await client.workflow.getHandle(jobWorkflowId(plain, early)).result();
      await save('backupJob', 'outcome-before-first-task-and-repeated', jobWorkflowId(plain, early));
    }

    // ---- vaultNotifications (since the delivery log: digest wake-ups only). The cases recorded
    // before it (idle-after-settings, per-alert-email-and-destructive, digest-window,
    // continued-as-new-*) stay in the folder: they are the old loop, replayed behind patched().
    const digest = await vault('digest');
    await settings(digest, 'HourlyDigest');
    await job(digest, { entityName: 'vm-a', outcome: { status: 'Failed' } });
    await job(digest, { entityName: 'vm-b', outcome: { status: 'Failed' } });
    await until(async () => (await database.sql`select 1 from deliveries where vault_id = ${digest} and event = 'digest' and status = 'Delivered'`).length > 0 || null, 'digest email', 30_000);
    await sleep(DIGEST_MS + 500);
    await save('vaultNotifications', 'digest-wakeups', vaultNotificationsWorkflowId(digest));

    const rolled = await vault('can');
    const start = vaultWorkflowStart(taskQueue, rolled);
    const args: [{ vaultId: string; maxHistoryEvents: number }] = [{ vaultId: rolled, maxHistoryEvents: 30 }];
    let firstRun = '';
    for (let k = 1; k <= 20; k++) {
      const handle = await client.workflow.signalWithStart(VAULT_NOTIFICATIONS_WORKFLOW, { ...start, args, signal: digestDueSignal, signalArgs: [{ windowEndMs: Date.now() + k * 3_600_000 }] });
      firstRun ||= handle.signaledRunId;
    }
    await until(async () => (await client.workflow.getHandle(vaultNotificationsWorkflowId(rolled), firstRun).describe()).status.name === 'CONTINUED_AS_NEW' || null, 'continue-as-new');
    await sleep(500);
    await save('vaultNotifications', 'wakeups-continued-as-new-first-run', vaultNotificationsWorkflowId(rolled), firstRun);
    await until(async () => ((await client.workflow.getHandle(vaultNotificationsWorkflowId(rolled)).describe()).historyLength ?? 0) >= 3 || null, 'the next run to start');
    await save('vaultNotifications', 'wakeups-continued-as-new-next-run', vaultNotificationsWorkflowId(rolled));

    // ---- delivery
    await until(async () => mails(digest).length > 0 || null, 'a delivered email');
    const [delivered] = await database.sql`select id from deliveries where vault_id = ${digest} and status = 'Delivered' limit 1`;
    await save('delivery', 'delivered', deliveryWorkflowId(delivered!.id));
    const rejected = await vault('rejected');
    resend.script([500, 422]);
    await settings(rejected, 'PerAlert');
    await until(async () => (await database.sql`select 1 from deliveries where vault_id = ${rejected} and status = 'Failed'`).length > 0 || null, 'a rejected welcome');
    const [failed] = await database.sql`select id from deliveries where vault_id = ${rejected} and status = 'Failed' limit 1`;
    await sleep(500);
    await save('delivery', 'retried-then-rejected', deliveryWorkflowId(failed!.id));

    // ---- lifecycle: auto-resolve (patched 'auto-resolve') and maintenance windows
    const healing = await vault('heal');
    await job(healing, { entityName: 'vm-heal', outcome: { status: 'Failed', errorCode: 'UserErrorDiskFull' } });
    await save('backupJob', 'auto-resolved', jobWorkflowId(healing, await job(healing, { entityName: 'vm-heal' })));
    // Patch 'finish-and-resolve': a success that raises nothing records and resolves in one local activity.
    await job(healing, { entityName: 'vm-heal-v4', outcome: { status: 'Failed', errorCode: 'UserErrorDiskFull' } });
    await save('backupJob', 'finish-and-resolve-auto-resolved', jobWorkflowId(healing, await job(healing, { entityName: 'vm-heal-v4' })));
    // Both patches in one run: a MAB backup with warnings raises its alert and resolves the failure.
    await job(healing, { workloadType: 'MAB', entityName: 'srv-heal', outcome: { status: 'Failed', errorCode: 'MabAgentDown' } });
    await save('backupJob', 'raised-and-resolved', jobWorkflowId(healing, await job(healing, {
      workloadType: 'MAB', entityName: 'srv-heal', outcome: { status: 'CompletedWithWarnings', warnings: ['file skipped'] },
    })));
    await job(healing, { workloadType: 'MAB', entityName: 'srv-heal-v3', outcome: { status: 'Failed', errorCode: 'MabAgentDown' } });
    await save('backupJob', 'raise-and-dispatch-raised-and-resolved', jobWorkflowId(healing, await job(healing, {
      workloadType: 'MAB', entityName: 'srv-heal-v3', outcome: { status: 'CompletedWithWarnings', warnings: ['file skipped'] },
    })));
    const windows = await vault('silence');
    const oneOff = await api('POST', `/v1/vaults/${windows}/silences`, { match: { entityName: 'vm-quiet' }, comment: 'patching', endsAt: new Date(Date.now() + 4_000).toISOString() });
    await job(windows, { entityName: 'vm-quiet', outcome: { status: 'Failed' } });
    await client.workflow.getHandle(silenceWorkflowId(oneOff.id)).result();
    await save('silenceWindow', 'one-off-released', silenceWorkflowId(oneOff.id));
    const deleted = await api('POST', `/v1/vaults/${windows}/silences`, { match: {}, comment: 'long', endsAt: new Date(Date.now() + 3_600_000).toISOString() });
    await api('DELETE', `/v1/vaults/${windows}/silences/${deleted.id}`);
    await client.workflow.getHandle(silenceWorkflowId(deleted.id)).result();
    await save('silenceWindow', 'deleted', silenceWorkflowId(deleted.id));
    const recurring = await api('POST', `/v1/vaults/${windows}/silences`, {
      match: { workloadType: 'MAB' }, comment: 'every 3 s', rrule: 'FREQ=SECONDLY;INTERVAL=3;COUNT=2', duration: '1s',
    });
    await client.workflow.getHandle(silenceWorkflowId(recurring.id)).result();
    await save('silenceWindow', 'recurring-two-occurrences', silenceWorkflowId(recurring.id));

    // ---- backupWatch: an item under a seconds-long policy misses its backup once
    const watched = await vault('watch');
    await api('PUT', `/v1/vaults/${watched}`, { contacts: { owners: [], admins: [], coAdmins: [] }, backupPolicy: { expectedEvery: '2s', grace: '1s' } });
    await job(watched, { entityName: 'vm-watched' });
    await until(async () => (await database.sql`select 1 from alerts where vault_id = ${watched} and scenario = 'BackupMissed'`).length > 0, 'a BackupMissed alert');
    await save('backupWatch', 'missed-once', backupWatchWorkflowId(watched));

    // ---- vaultReport: two seconds-long periods with weeklyReport on
    const reported = await vault('report');
    await api('PUT', `/v1/vaults/${reported}/notification-settings`, { enabled: true, recipients: ['ops@contoso.com'], frequency: 'PerAlert', weeklyReport: true });
    await new Promise((resolve) => setTimeout(resolve, REPORT_MS * 2 + 1_000));
    await save('vaultReport', 'two-periods', vaultReportWorkflowId(reported));
  } finally {
    worker.shutdown();
    await running.catch(() => {});
    await close();
    await connection.close();
    await database.close();
    await resend.stop();
    await server.stop();
    const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${new URL(databaseUrl).pathname.slice(1)}" with (force)`).catch(() => {});
    await admin.end({ timeout: 5 });
  }
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
