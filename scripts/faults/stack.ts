// The fault suite's stack: a file-persisted Temporal dev server on a fixed port (restarted in
// place), a fresh database behind a TCP proxy (the Postgres outage is a cut proxy; the machine's
// shared service keeps running), the fake Resend, the webhook endpoints, the API in-process and a
// prebuilt workflow bundle that every worker process loads (restarts as fast as production's).
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
import { freePorts } from '../lib/dev-server';
import { ensureTemporalCli } from '../lib/temporal-cli';
import { startWebhookReceiver } from '../lib/webhook-receiver';
import { buildWorkflowBundleFile } from '../lib/workflow-bundle';
import { startTemporal } from './processes';

export const TOKEN = 'bm_faults_admin_0123456789abcdef0123456789abcdef';
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function startStack(opts: { runId: string; jobTimeoutMs: number; digestMs: number; log: (line: string) => void }) {
  const dir = mkdtempSync(join(tmpdir(), 'bm-faults-'));
  const bundle = buildWorkflowBundleFile(join(dir, 'workflow-bundle.js'));
  const cliPath = await ensureTemporalCli();
  const [port, uiPort] = (await freePorts(2)) as [number, number];
  let temporal = await startTemporal(cliPath, join(dir, 'temporal.db'), port, uiPort);
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/backup_monitor_faults_${Date.now()}_${process.pid}`;
  const databaseUrl = dbUrl.toString();
  await migrateDatabase(databaseUrl);
  const direct = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const proxy = await startTcpProxy({ host: dbUrl.hostname, port: Number(dbUrl.port || 5432) });
  const stackDbUrl = proxy.url(databaseUrl);
  const resend = await startFakeResend();
  const endpoints = await startWebhookReceiver();
  const bundlePath = await bundle;
  opts.log(`workflow bundle ${bundlePath}`);
  const workerEnv = {
    DATABASE_URL: stackDbUrl, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: `faults-${opts.runId}`,
    DIGEST_INTERVAL: `${opts.digestMs}ms`, JOB_TIMEOUT: `${opts.jobTimeoutMs}ms`, RESEND_API_KEY: 're_faults', RESEND_BASE_URL: resend.baseUrl,
    EMAIL_FROM: 'Backup Monitor <alerts@monitor.example.com>', PUBLIC_URL: 'https://monitor.example.com', LOG_LEVEL: 'info',
    SMTP_URL: '', WORKER_METRICS_PORT: '0', WORKER_APP_METRICS_PORT: '0', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    WORKFLOW_BUNDLE_PATH: bundlePath,
  };
  const database = connectDb(stackDbUrl, { max: 10 });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const app = createApp({
    db: database.db, temporal: client, taskQueue: workerEnv.TEMPORAL_TASK_QUEUE, jobTimeoutMs: opts.jobTimeoutMs,
    digestIntervalMs: opts.digestMs, log: pino({ level: 'silent' }), adminToken: TOKEN, allowPrivateWebhooks: true,
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));

  return {
    direct, proxy, resend, endpoints, workerEnv,
    apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async restartTemporal() {
      await temporal.stop();
      temporal = await startTemporal(cliPath, join(dir, 'temporal.db'), port, uiPort);
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connection.close().catch(() => {});
      await database.close().catch(() => {});
      await direct.end({ timeout: 2 });
      await proxy.stop();
      await resend.stop();
      await endpoints.stop();
      await temporal.stop();
      const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists "${dbUrl.pathname.slice(1)}" with (force)`).catch(() => {});
      await admin.end({ timeout: 2 });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;
