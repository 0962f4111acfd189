// Prometheus metrics: the API's request counters by matched route, and the worker's alert and
// email counters fed by the real activities against Postgres and a fake Resend.
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { createResendChannel } from '../../channels/email-resend';
import { createWebhookChannel } from '../../channels/webhook-http';
import { createApp } from '../../api/app';
import { createHttpMetrics } from '../../api/metrics';
import { connectDb, type Database, type DbHandle } from '../../db/client';
import { notificationSettings, vaults } from '../../db/schema';
import { evaluateAlert } from '../../domain/alert-rules';
import type { Job } from '../../domain/types';
import { createWorkerMetrics, startMetricsServer, type MetricsServer } from '../../worker/metrics';
import { testEnv } from '../support/env';
import { startFakeResend, type FakeResend } from '../support/fake-resend';
import { uniqueVaultId } from '../support/stack';

/** `name{labels} value` lines of a Prometheus text exposition, labels in the order given. */
const sample = (text: string, name: string, labels: Record<string, string>) => {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
};

const ADMIN = 'bm_metrics_admin_token_0123456789abcdef01234';
const asAdmin = (app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> }, path: string, init: RequestInit = {}) =>
  app.request(path, { ...init, headers: { authorization: `Bearer ${ADMIN}`, ...(init.headers as Record<string, string> | undefined) } });

describe('API /metrics', () => {
  // Stubs that answer /healthz; every other request below is refused before it reaches them.
  const deps = {
    db: { execute: async () => [] } as unknown as Database,
    temporal: { workflowService: { getSystemInfo: async () => ({}) } } as unknown as Client,
    taskQueue: 'unused', jobTimeoutMs: 1, digestIntervalMs: 1, log: pino({ level: 'silent' }), adminToken: ADMIN,
  };

  it('counts requests and their durations by method, matched route and status', async () => {
    const app = createApp(deps);
    for (let i = 0; i < 3; i++) expect((await app.request('/healthz')).status).toBe(200);
    expect((await asAdmin(app, '/v1/vaults/bad%2Fid')).status).toBe(404);
    expect((await asAdmin(app, '/v1/vaults/v-1/jobs?limit=100000')).status).toBe(400);
    expect((await asAdmin(app, '/v1/vaults/v-2/jobs?limit=0')).status).toBe(400);
    expect((await asAdmin(app, '/v1/vaults/v-1/jobs', { method: 'POST', body: '{}' })).status).toBe(400);
    expect((await app.request('/no/such/page')).status).toBe(404);
    // `summary` would also match `/alerts/:alertId`: the label is the route that answered.
    expect((await asAdmin(app, '/v1/vaults/bad%2Fid/alerts/summary')).status).toBe(404);
    expect((await asAdmin(app, '/v1/vaults/v-1/alerts/not-a-uuid')).status).toBe(404);
    const oversized = await asAdmin(app, '/v1/vaults/v-1/jobs', { method: 'POST', body: JSON.stringify({ entityName: 'x'.repeat(70_000) }) });
    expect(oversized.status).toBe(413);
    // A refused token is counted under the route it tried, not as unmatched.
    expect((await app.request('/v1/vaults/v-1/jobs')).status).toBe(401);

    const response = await app.request('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('# TYPE http_requests_total counter');
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(sample(text, 'http_requests_total', { method: 'GET', route: '/healthz', status: '200' })).toBe(3);
    expect(sample(text, 'http_requests_total', { method: 'GET', route: '/v1/vaults/:vaultId', status: '404' })).toBe(1);
    // Two vaults, one series: the label is the route pattern, never the raw path.
    expect(sample(text, 'http_requests_total', { method: 'GET', route: '/v1/vaults/:vaultId/jobs', status: '400' })).toBe(2);
    expect(sample(text, 'http_requests_total', { method: 'POST', route: '/v1/vaults/:vaultId/jobs', status: '400' })).toBe(1);
    expect(sample(text, 'http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(sample(text, 'http_requests_total', { method: 'GET', route: '/v1/vaults/:vaultId/alerts/summary', status: '404' })).toBe(1);
    expect(sample(text, 'http_requests_total', { method: 'GET', route: '/v1/vaults/:vaultId/alerts/:alertId', status: '404' })).toBe(1);
    expect(sample(text, 'http_requests_total', { method: 'POST', route: '/v1/vaults/:vaultId/jobs', status: '413' })).toBe(1);
    expect(sample(text, 'http_requests_total', { method: 'GET', route: '/v1/vaults/:vaultId/jobs', status: '401' })).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_count', { method: 'GET', route: '/healthz' })).toBe(3);
    expect(sample(text, 'http_request_duration_seconds_bucket', { le: '+Inf', method: 'GET', route: '/healthz' })).toBe(3);
    expect(text).not.toMatch(/v-1|v-2|bad|no\/such|not-a-uuid/);
  });

  it('keeps each app to its own registry, or the one passed in', async () => {
    const registry = new Registry();
    const first = createApp({ ...deps, metrics: createHttpMetrics(registry) });
    const second = createApp(deps);
    await first.request('/healthz');
    expect(sample(await registry.metrics(), 'http_requests_total', { route: '/healthz' })).toBe(1);
    expect(sample(await (await second.request('/metrics')).text(), 'http_requests_total', { route: '/healthz' })).toBeUndefined();
  });
});

describe('worker metrics', () => {
  let database: DbHandle;
  let resend: FakeResend;
  let server: MetricsServer;
  const metrics = createWorkerMetrics();
  let activities: ReturnType<typeof createActivities>;

  beforeAll(async () => {
    database = connectDb(testEnv().databaseUrl, { max: 4 });
    resend = await startFakeResend();
    const channels = {
      email: createResendChannel({ apiKey: 're_test', baseUrl: resend.baseUrl, from: 'Backup Monitor <alerts@monitor.example.com>', timeoutMs: 2_000 }),
      webhook: createWebhookChannel({ allowPrivateNetworks: true }),
    };
    activities = createActivities({
      db: database.db, client: {} as Client, taskQueue: 'unused', digestIntervalMs: 3_600_000, publicUrl: 'https://monitor.example.com',
      channels, metrics,
    });
    server = await startMetricsServer({ registry: metrics.registry, host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await resend?.stop();
    await database?.close();
  });

  const failedLogBackup = (vaultId: string, id: string): Job => ({
    id, vaultId, workloadType: 'AzureWorkload', operation: 'Backup', trigger: 'Scheduled', entityName: 'sql-prod-01/SalesDb',
    status: 'Failed', startedAt: new Date().toISOString(), endedAt: new Date().toISOString(), durationMs: 1_000,
    errorCode: 'UserErrorSQLLSNValidationFailure', errorMessage: 'log chain broken', warnings: [],
  });
  const raise = (job: Job) => {
    const decision = evaluateAlert(job);
    if (!decision.raise) throw new Error('expected an alert');
    return activities.raiseAlert({ job, decision });
  };

  const perAlertVault = async () => {
    const vaultId = uniqueVaultId('metrics');
    await database.db.insert(vaults).values({ id: vaultId, name: 'Metrics', contacts: { owners: [], admins: [], coAdmins: [] } });
    await database.db.insert(notificationSettings).values({ vaultId, enabled: true, recipients: ['dba@contoso.com'], frequency: 'PerAlert' });
    return vaultId;
  };
  const attempt = (deliveryId: string) => activities.attemptDelivery({ deliveryId }).catch((error: Error) => error);

  it('counts alert occurrences (consolidated or not) and delivery outcomes by channel, served at /metrics', async () => {
    const vaultId = await perAlertVault();
    const first = await raise(failedLogBackup(vaultId, 'log-1'));
    await raise(failedLogBackup(vaultId, 'log-2'));
    await raise(failedLogBackup(vaultId, 'log-2')); // a retried activity: not a new occurrence
    expect(first.deliveryIds).toHaveLength(1);
    const [deliveryId] = first.deliveryIds!;
    resend.script([500]);
    expect(await attempt(deliveryId!)).toMatchObject({ type: 'DeliveryRetry' });
    expect(await attempt(deliveryId!)).toEqual({ status: 'Delivered', attempts: 2 });
    expect(await attempt(deliveryId!)).toEqual({ status: 'Delivered', attempts: 2 }); // a late retry sends nothing

    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    const text = await response.text();
    const alerts = { severity: 'Critical', scenario: 'BackupFailure' };
    expect(sample(text, 'alerts_raised_total', { ...alerts, consolidated: 'false' })).toBe(1);
    expect(sample(text, 'alerts_raised_total', { ...alerts, consolidated: 'true' })).toBe(1);
    expect(sample(text, 'deliveries_total', { channel: 'email', outcome: 'retry' })).toBe(1);
    expect(sample(text, 'deliveries_total', { channel: 'email', outcome: 'delivered' })).toBe(1);
    expect(resend.deliveries).toHaveLength(1);
  });

  it('counts a rejected email', async () => {
    const vaultId = await perAlertVault();
    const alert = await raise(failedLogBackup(vaultId, 'log-1'));
    resend.script([422]);
    expect(await attempt(alert.deliveryIds![0]!)).toEqual({ status: 'Failed', attempts: 1 });
    expect(sample(await metrics.registry.metrics(), 'deliveries_total', { channel: 'email', outcome: 'failed' })).toBe(1);
  });

  it('answers 404 off /metrics', async () => {
    expect((await fetch(server.url.replace('/metrics', '/'))).status).toBe(404);
  });
});
