import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Runtime, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import pino from 'pino';
import { createResendChannel } from '../../channels/email-resend';
import { createWebhookChannel } from '../../channels/webhook-http';
import type { DeliveryChannels } from '../../activities/deliveries';
import { createApp } from '../../api/app';
import { connectDb } from '../../db/client';
import { createWorker, WORKFLOWS_PATH } from '../../worker/create-worker';
import { testEnv } from './env';
import { startFakeResend } from './fake-resend';

let runtimeInstalled = false;
function quietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger(process.env.TEST_SDK_LOG_LEVEL as 'WARN' | undefined ?? 'ERROR') });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
const workflowBundle = () => (bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: silentSdkLogger }));

const silentSdkLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export const EMAIL_FROM = 'Backup Monitor <alerts@monitor.example.com>';
/** The bootstrap API_ADMIN_TOKEN of every test stack; `stack.api` sends it unless told otherwise. */
export const TEST_ADMIN_TOKEN = 'bm_test_admin_0123456789abcdef0123456789abcdef';

export interface StackOptions {
  jobTimeoutMs?: number;
  digestIntervalMs?: number;
  readYourWritesMs?: number;
  /** REPORT_INTERVAL of the worker (§2.8); default 7 days. */
  reportIntervalMs?: number;
  /** False when the test runs workers as real processes (spawnWorker) to kill them. */
  inProcessWorker?: boolean;
  /** Replaces a channel of the in-process worker (e.g. an SMTP one). */
  channels?: Partial<DeliveryChannels>;
  sweepIntervalMs?: number;
}

export interface ApiResponse<T = any> {
  status: number;
  contentType: string;
  body: T;
}

/**
 * The real parts of one test file: its own task queue on the shared dev server, a real worker,
 * the real API over HTTP on an ephemeral port, and the shared test database.
 */
export async function startStack(options: StackOptions = {}) {
  quietRuntime();
  const env = testEnv();
  const taskQueue = `test-${randomUUID()}`;
  const database = connectDb(env.databaseUrl, { max: 8 });
  const connection = await Connection.connect({ address: env.temporalAddress });
  const client = new Client({ connection });
  const digestIntervalMs = options.digestIntervalMs ?? 3_600_000;
  const jobTimeoutMs = options.jobTimeoutMs ?? 3_600_000;
  const resend = await startFakeResend();
  const channels: DeliveryChannels = {
    email: createResendChannel({ apiKey: 're_test_key', baseUrl: resend.baseUrl, from: EMAIL_FROM, timeoutMs: 2_000 }),
    webhook: createWebhookChannel({ allowPrivateNetworks: true, timeoutMs: 2_000 }),
    ...options.channels,
  };

  let running: { worker: Worker; done: Promise<void>; close(): Promise<void> } | null = null;
  async function startWorker() {
    if (running) return;
    const { worker, close } = await createWorker({
      temporalAddress: env.temporalAddress, namespace: 'default', taskQueue, db: database.db, digestIntervalMs,
      channels, publicUrl: 'https://monitor.example.com', sweepIntervalMs: options.sweepIntervalMs ?? 2_000, reportIntervalMs: options.reportIntervalMs,
      workflowBundle: await workflowBundle(), clientConnection: connection, shutdownGraceTime: '1s',
    });
    running = { worker, done: worker.run(), close };
  }
  async function stopWorker() {
    if (!running) return;
    const current = running;
    running = null;
    current.worker.shutdown();
    await current.done;
    await current.close();
  }

  const app = createApp({
    db: database.db, temporal: client, taskQueue, jobTimeoutMs, digestIntervalMs,
    log: pino({ level: 'silent' }), readYourWritesMs: options.readYourWritesMs, adminToken: TEST_ADMIN_TOKEN, allowPrivateWebhooks: true,
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** Sends the admin token unless `headers` carries its own `authorization` (`''` sends none). */
  async function api<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const { authorization = `Bearer ${TEST_ADMIN_TOKEN}`, ...rest } = headers;
    const init: RequestInit = { method, headers: { ...rest, ...(authorization ? { authorization } : {}) } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, init);
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : null };
  }

  /** The production entry point as a real process on this stack's task queue, for crash tests. */
  async function spawnWorker(): Promise<ChildProcess & { output(): string }> {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
      cwd: root,
      env: {
        ...process.env, DATABASE_URL: env.databaseUrl, TEMPORAL_ADDRESS: env.temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue,
        DIGEST_INTERVAL: `${digestIntervalMs}ms`, JOB_TIMEOUT: `${jobTimeoutMs}ms`, RESEND_API_KEY: 're_test_key',
        RESEND_BASE_URL: resend.baseUrl, EMAIL_FROM, API_ADMIN_TOKEN: TEST_ADMIN_TOKEN, PUBLIC_URL: 'https://monitor.example.com', LOG_LEVEL: 'info', SMTP_URL: '', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    children.push(child);
    await eventually(async () => output.includes('worker started') || child.exitCode !== null, 'worker process to start', 60_000);
    if (child.exitCode !== null) throw new Error(`worker exited: ${output}`);
    return Object.assign(child, { output: () => output });
  }
  const children: ChildProcess[] = [];

  if (options.inProcessWorker !== false) await startWorker();
  return {
    spawnWorker,
    /** Vaults created through createVault: waits on "nothing in flight" look only at these (the DB is shared by test files). */
    vaults: new Set<string>(),
    taskQueue, client, resend, db: database.db, sql: database.sql, baseUrl, api, startWorker, stopWorker,
    async close() {
      for (const child of children) child.kill('SIGKILL');
      await stopWorker();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connection.close();
      await database.close();
      await resend.stop();
    },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

export const uniqueVaultId = (prefix = 'vault') => `${prefix}-${randomUUID().slice(0, 8)}`;

export async function createVault(
  stack: Stack,
  vaultId = uniqueVaultId(),
  contacts: { owners: string[]; admins: string[]; coAdmins: string[] } = { owners: ['owner@contoso.com'], admins: [], coAdmins: [] },
) {
  const response = await stack.api('PUT', `/v1/vaults/${vaultId}`, { name: vaultId, subscriptionId: 'sub-1', contacts });
  if (response.status !== 201) throw new Error(`vault creation answered ${response.status}`);
  stack.vaults.add(vaultId);
  return vaultId;
}

/** Polls until `read` returns something truthy; fails the test with `what` after `timeoutMs`. */
export async function eventually<T>(read: () => Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
