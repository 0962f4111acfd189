// npm run test:faults [-- --profile ci|full] [--record]
// Several hundred jobs over several vaults while the worker is SIGKILLed twice, the Temporal dev
// server restarts (file persistence), Postgres is unreachable for 20 s (a TCP proxy we cut, the
// machine's Postgres keeps running) and the email endpoint answers 500/429/hangs; then every job,
// alert and email is checked against the rules (check.ts). --record appends the figures to
// docs/reliability.md. Exit code 0 only when nothing was lost or doubled.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import postgres from 'postgres';
import { createApp } from '../../api/app';
import { connectDb } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { startFakeResend } from '../../tests/support/fake-resend';
import { startTcpProxy } from '../../tests/support/tcp-proxy';
import { freePort } from '../lib/dev-server';
import { ensureTemporalCli } from '../lib/temporal-cli';
import { check, type JobRun, type VaultSetup } from './check';
import { createServiceClient } from './http';
import { deliveryLog } from './notification-log';
import { KINDS, planJobs } from './plan';
import { spawnWorker, startTemporal, type WorkerProcess } from './processes';
import { recordRun } from './report';

const PROFILES = {
  ci: { vaults: 4, jobs: 160, loadMs: 60_000, concurrency: 6, emailFailures: 12 },
  full: { vaults: 8, jobs: 600, loadMs: 150_000, concurrency: 10, emailFailures: 36 },
} as const;
const JOB_TIMEOUT_MS = 60_000;
const DIGEST_MS = 20_000;
const PG_OUTAGE_MS = 20_000;
const TOKEN = 'bm_faults_admin_0123456789abcdef0123456789abcdef';
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const args = process.argv.slice(2);
const profileName = (args[args.indexOf('--profile') + 1] ?? 'ci') as keyof typeof PROFILES;
const profile = PROFILES[args.includes('--profile') ? profileName : 'ci'];
if (!profile) throw new Error(`unknown profile ${profileName}`);
const began = Date.now();
const log = (line: string) => process.stderr.write(`[faults +${((Date.now() - began) / 1000).toFixed(1)}s] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<number> {
  const runId = `f${Date.now().toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), 'bm-faults-'));
  const cliPath = await ensureTemporalCli();
  const [port, uiPort] = [await freePort(), await freePort()];
  let temporal = await startTemporal(cliPath, join(dir, 'temporal.db'), port, uiPort);
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/backup_monitor_faults_${Date.now()}_${process.pid}`;
  const databaseUrl = dbUrl.toString();
  await migrateDatabase(databaseUrl);
  const direct = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const proxy = await startTcpProxy({ host: dbUrl.hostname, port: Number(dbUrl.port || 5432) });
  const stackDbUrl = proxy.url(databaseUrl);
  const resend = await startFakeResend();
  const workerEnv = {
    DATABASE_URL: stackDbUrl, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: `faults-${runId}`,
    DIGEST_INTERVAL: `${DIGEST_MS}ms`, JOB_TIMEOUT: `${JOB_TIMEOUT_MS}ms`, RESEND_API_KEY: 're_faults', RESEND_BASE_URL: resend.baseUrl,
    EMAIL_FROM: 'Backup Monitor <alerts@monitor.example.com>', PUBLIC_URL: 'https://monitor.example.com', LOG_LEVEL: 'info',
    SMTP_URL: '', WORKER_METRICS_PORT: '0', WORKER_APP_METRICS_PORT: '0',
  };
  const database = connectDb(stackDbUrl, { max: 10 });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const app = createApp({
    db: database.db, temporal: client, taskQueue: workerEnv.TEMPORAL_TASK_QUEUE, jobTimeoutMs: JOB_TIMEOUT_MS,
    digestIntervalMs: DIGEST_MS, log: pino({ level: 'silent' }), adminToken: TOKEN,
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const service = createServiceClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, TOKEN);
  let worker: WorkerProcess | null = null;
  const faults: string[] = [];

  try {
    worker = await spawnWorker(workerEnv, log);
    // ---- vaults: half PerAlert, half HourlyDigest
    const vaults: VaultSetup[] = [];
    for (let i = 0; i < profile.vaults; i++) {
      const vaultId = `${runId}-v${i}`;
      const setup: VaultSetup = {
        vaultId, frequency: i % 2 ? 'HourlyDigest' : 'PerAlert', recipients: [`ops@${vaultId}.example.com`], contacts: [`owner@${vaultId}.example.com`],
      };
      await service.send('PUT', `/v1/vaults/${vaultId}`, { name: vaultId, contacts: { owners: setup.contacts, admins: [], coAdmins: [] } });
      await service.send('PUT', `/v1/vaults/${vaultId}/notification-settings`, { enabled: true, recipients: setup.recipients, frequency: setup.frequency });
      vaults.push(setup);
    }

    // ---- load, paced over the fault timeline
    const plan = planJobs(vaults.map((v) => v.vaultId), profile.jobs, runId);
    const runs: JobRun[] = [];
    const gapMs = profile.loadMs / profile.jobs;
    let next = 0;
    const loadStart = Date.now();
    const runOne = async (): Promise<void> => {
      for (;;) {
        const index = next++;
        const job = plan[index];
        if (!job) return;
        const due = loadStart + index * gapMs;
        if (due > Date.now()) await sleep(due - Date.now());
        const facts = KINDS[job.kind];
        const startBody = { ...facts.body, jobId: job.jobId, entityName: job.entityName };
        const starts = await Promise.all(Array.from({ length: job.duplicate ? 2 : 1 }, () => service.send('POST', `/v1/vaults/${job.vaultId}/jobs`, startBody)));
        const started = starts.find((a) => a.status === 201) ?? starts[0]!;
        const run: JobRun = {
          job, start: started.status, outcome: null, outcomeAmbiguous: false,
          starts: starts.map((a) => a.status), startsAmbiguous: starts.some((a) => a.ambiguous),
        };
        runs.push(run);
        if (facts.outcome === 'none') continue;
        if (job.duplicate) {
          const both = await Promise.all([
            service.send('POST', `/v1/vaults/${job.vaultId}/jobs/${job.jobId}/complete`, facts.outcome),
            service.send('POST', `/v1/vaults/${job.vaultId}/jobs/${job.jobId}/cancel`),
          ]);
          run.outcomes = both.map((a) => a.status);
          run.outcome = both.find((a) => a.status === 202)?.status ?? both[0]!.status;
          run.outcomeAmbiguous = both.some((a) => a.ambiguous);
          continue;
        }
        const answer = facts.outcome === 'cancel'
          ? await service.send('POST', `/v1/vaults/${job.vaultId}/jobs/${job.jobId}/cancel`)
          : await service.send('POST', `/v1/vaults/${job.vaultId}/jobs/${job.jobId}/complete`, facts.outcome);
        run.outcome = answer.status;
        run.outcomeAmbiguous = answer.ambiguous;
      }
    };
    const timeline = async () => {
      const at = async (ms: number) => { const wait = loadStart + ms - Date.now(); if (wait > 0) await sleep(wait); };
      const L = profile.loadMs;
      await at(L * 0.1);
      await worker!.kill(); faults.push('worker SIGKILL #1');
      worker = await spawnWorker(workerEnv, log);
      await at(L * 0.3);
      log('restarting the Temporal dev server');
      await temporal.stop();
      temporal = await startTemporal(cliPath, join(dir, 'temporal.db'), port, uiPort);
      faults.push('Temporal dev server restart'); log('Temporal dev server back');
      await at(L * 0.45);
      log(`cutting Postgres for ${PG_OUTAGE_MS / 1000} s`);
      await proxy.cut(); faults.push(`Postgres unreachable ${PG_OUTAGE_MS / 1000} s`);
      await sleep(PG_OUTAGE_MS);
      await proxy.restore(); log('Postgres reachable again');
      await at(L * 0.8);
      const steps = Array.from({ length: profile.emailFailures }, (_, i) => [500, 429, 500, 429, 500, 'hang'][i % 6]) as (number | 'hang')[];
      resend.script(steps); faults.push(`email endpoint: ${steps.length} answers 500/429/hang`); log('email endpoint failing');
      await at(L * 0.9);
      await worker!.kill(); faults.push('worker SIGKILL #2');
      worker = await spawnWorker(workerEnv, log);
    };
    await Promise.all([timeline(), ...Array.from({ length: profile.concurrency }, runOne)]);
    log(`load done: ${runs.length} jobs; waiting for every job to end`);

    // ---- settle: every job terminal, every notification sent, the last digest window closed
    const vaultIds = vaults.map((v) => v.vaultId);
    const settleDeadline = Date.now() + JOB_TIMEOUT_MS + 300_000;
    let polls = 0;
    for (;;) {
      const [{ open }] = (await direct<{ open: number }[]>`select count(*)::int as open from jobs where vault_id = any(${vaultIds}) and status = 'InProgress'`) as unknown as [{ open: number }];
      const [{ pending }] = (await direct<{ pending: number }[]>`select count(*)::int as pending from deliveries where vault_id = any(${vaultIds}) and status <> 'Delivered'`) as unknown as [{ pending: number }];
      const [{ last }] = (await direct<{ last: Date | null }[]>`select max(raised_at) as last from alerts where vault_id = any(${vaultIds})`) as unknown as [{ last: Date | null }];
      const digestsDue = !last || Date.now() > Math.floor(new Date(last).getTime() / DIGEST_MS) * DIGEST_MS + DIGEST_MS + 15_000;
      if (open === 0 && pending === 0 && digestsDue) break;
      if (Date.now() > settleDeadline) { log(`gave up settling: ${open} jobs open, ${pending} emails pending`); break; }
      if (++polls % 10 === 0) log(`settling: ${open} jobs open, ${pending} emails pending, digests ${digestsDue ? 'due' : 'not yet due'}`);
      await sleep(2_000);
    }
    await sleep(3_000);

    const result = await check(direct, vaults, runs, deliveryLog(direct, resend.deliveries, vaultIds));
    // A fault that nobody felt proves nothing: the suite fails when its injection broke.
    if (service.counts.retried503 === 0) result.failures.push('no client ever saw a 503: the Postgres/Temporal outages were not felt');
    if (!resend.requests.some((r) => r.answered !== 200)) result.failures.push('the email endpoint never failed a request');
    const counts = { ...result.counts, ...service.counts, emailRequests: resend.requests.length, failures: result.failures.length };
    console.log(JSON.stringify({ profile: profileName, faults, counts }, null, 2));
    for (const line of result.failures.slice(0, 50)) console.log(`FAIL ${line}`);
    if (args.includes('--record')) recordRun({ profile: profileName, faults, counts, failures: result.failures, durationMs: Date.now() - began });
    log(result.failures.length === 0 ? 'PASS: nothing lost, nothing doubled' : `FAIL: ${result.failures.length} problems`);
    if (result.failures.length) console.error(worker?.output().slice(-3000));
    return result.failures.length === 0 ? 0 : 1;
  } finally {
    await worker?.kill().catch(() => {});
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await connection.close().catch(() => {});
    await database.close().catch(() => {});
    await direct.end({ timeout: 2 });
    await proxy.stop();
    await resend.stop();
    await temporal.stop();
    const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${dbUrl.pathname.slice(1)}" with (force)`).catch(() => {});
    await admin.end({ timeout: 2 });
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (error) => {
  console.error(error);
  process.exit(2);
});
