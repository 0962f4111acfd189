// The email channels and the delivery log against a real Postgres (a throwaway database of its
// own), the real Resend SDK against a local fake of its API, and SMTP against an in-process MailDev.
import postgres from 'postgres';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDeliveryActivities, createDeliveryAttempts } from '../../activities/deliveries';
import { createChannelsFromEnv } from '../../channels';
import { createResendChannel } from '../../channels/email-resend';
import { createSmtpChannel, messageIdOf } from '../../channels/email-smtp';
import { createWebhookChannel } from '../../channels/webhook-http';
import { connectDb, type DbHandle } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { alerts, deliveries, vaults } from '../../db/schema';
import { insertDeliveries } from '../../notifications/log';
import { startLocalInbox, type LocalInbox } from '../../scripts/lib/local-inbox';
import { startFakeResend, type FakeResend } from '../support/fake-resend';

const FROM = 'Backup Monitor <alerts@backup-monitor.local>';
const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/backup_monitor';
const dbName = `backup_monitor_emailtest_${Date.now()}_${process.pid}`;
const testUrl = Object.assign(new URL(baseUrl), { pathname: `/${dbName}` }).toString();

let handle: DbHandle;
let fake: FakeResend;
let counter = 0;

beforeAll(async () => {
  await migrateDatabase(testUrl);
  handle = connectDb(testUrl, { max: 4 });
  fake = await startFakeResend();
}, 60_000);

afterAll(async () => {
  await fake?.stop();
  await handle?.close();
  const admin = postgres(Object.assign(new URL(baseUrl), { pathname: '/postgres' }).toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
  await admin.end();
});

beforeEach(() => fake.reset());

const resendChannel = (timeoutMs = 2_000) => createResendChannel({ apiKey: 're_test', baseUrl: fake.baseUrl, from: FROM, timeoutMs });
const email = (id: string) => ({ id, channel: 'email' as const, target: 'Ops@Example.com', payload: { subject: 'Subject', html: '<p>h</p>', text: 't' } });
const uuid = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

/** A vault, an alert and one planned alert email to `target`; answers the delivery id. */
async function plannedAlertEmail(target = 'ops@example.com'): Promise<string> {
  const vaultId = `v-${uuid().slice(-6)}`;
  await handle.db.insert(vaults).values({ id: vaultId, name: 'Email test', contacts: { owners: [], admins: [], coAdmins: [] } });
  const now = new Date();
  const [alert] = await handle.db.insert(alerts).values({
    vaultId, scenario: 'BackupFailure', severity: 'Critical', status: 'Active', workloadType: 'AzureVM', entityName: 'vm-<b>01</b>',
    jobId: 'j1', latestJobId: 'j1', errorMessage: '<script>alert(1)</script>', raisedAt: now, lastOccurredAt: now,
  }).returning();
  const [id] = await insertDeliveries(handle.db, [{
    vaultId, channel: 'email', target, event: 'alert.raised', alertId: alert!.id, alertIds: [alert!.id],
    dedupKey: `alert.raised:${alert!.id}:email:${target}`, payload: { render: { kind: 'alert' } },
  }]);
  return id!;
}
const rowOf = async (id: string) => (await handle.db.select().from(deliveries).where(eq(deliveries.id, id)))[0]!;

describe('the Resend channel', () => {
  it.each([[500, 'retry'], [502, 'retry'], [429, 'retry'], [400, 'failed'], [401, 'failed'], [403, 'failed'], [422, 'failed']])(
    'HTTP %i: %s', async (status, outcome) => {
      fake.script([status]);
      expect(await resendChannel().send(email(uuid()))).toMatchObject({ outcome });
    },
  );

  it('uses the delivery id as idempotency key: a resend after a lost answer is not a second email', async () => {
    const id = uuid();
    const first = await resendChannel().send(email(id));
    const again = await resendChannel().send(email(id));
    expect(first).toEqual(again);
    expect(fake.requests.map((r) => r.idempotencyKey)).toEqual([id, id]);
    expect(fake.deliveries).toHaveLength(1);
    expect(fake.deliveries[0]).toMatchObject({ from: FROM, to: ['Ops@Example.com'], text: 't' });
  });

  it('treats a refused connection and a hang as retryable (the hang as an unknown outcome)', async () => {
    expect(await createResendChannel({ apiKey: 're_test', baseUrl: 'http://127.0.0.1:1', from: FROM }).send(email(uuid()))).toMatchObject({ outcome: 'retry' });
    fake.script(['hang']);
    expect(await resendChannel(300).send(email(uuid()))).toMatchObject({ outcome: 'retry', unknown: true });
  });
});

describe('a delivery through the log', () => {
  const deliveryDeps = (emailTimeoutMs?: number) => ({
    db: handle.db, publicUrl: 'http://localhost:3000',
    channels: { email: resendChannel(emailTimeoutMs), webhook: createWebhookChannel({ allowPrivateNetworks: true }) },
  });
  const activities = () => createDeliveryActivities(deliveryDeps());

  it('retries 500 and 429 with the first rendering byte for byte, then records Delivered once', async () => {
    const id = await plannedAlertEmail();
    fake.script([500, 429]);
    for (let i = 0; i < 2; i++) await expect(activities().attemptDelivery({ deliveryId: id })).rejects.toMatchObject({ type: 'DeliveryRetry' });
    const pending = await rowOf(id);
    expect(pending).toMatchObject({ status: 'Pending', attempts: 2, inFlightSince: null });
    expect(pending.lastError).toMatch(/429/);
    expect(await activities().attemptDelivery({ deliveryId: id })).toEqual({ status: 'Delivered', attempts: 3 });
    expect(await activities().attemptDelivery({ deliveryId: id })).toEqual({ status: 'Delivered', attempts: 3 });
    expect(fake.requests.map((r) => r.answered)).toEqual([500, 429, 200]);
    expect(new Set(fake.requests.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(new Set(fake.requests.map((r) => r.idempotencyKey))).toEqual(new Set([id]));
    const delivered = await rowOf(id);
    expect(delivered).toMatchObject({ status: 'Delivered', attempts: 3, lastError: null, providerId: fake.deliveries[0]!.id });
    expect(delivered.deliveredAt).toBeInstanceOf(Date);
    const sent = fake.deliveries[0]!;
    expect(sent.html).toContain('&lt;script&gt;');
    expect(sent.text).toContain('<script>alert(1)</script>');
    expect(sent.from).toBe(FROM);
  });

  it('marks a 422 Failed after one attempt and sends nothing', async () => {
    const id = await plannedAlertEmail();
    fake.script([422]);
    expect(await activities().attemptDelivery({ deliveryId: id })).toEqual({ status: 'Failed', attempts: 1 });
    expect((await rowOf(id)).lastError).toContain('validation_error');
    expect(fake.deliveries).toHaveLength(0);
  });

  it('a first attempt yields to one still out (a re-run raise): one request at a time, the workflow path still recovers', async () => {
    const id = await plannedAlertEmail();
    const yielding = (timeoutMs: number) =>
      createDeliveryAttempts(deliveryDeps(timeoutMs)).attemptUnlessInFlight({ deliveryId: id, yieldWithinMs: 15_000 });
    fake.script(['accept-then-hang']);
    // Three begun together: one sends (it hangs, then its outcome is unknown), two yield.
    const first = await Promise.allSettled([yielding(300), yielding(300), yielding(300)]);
    expect(fake.requests).toHaveLength(1);
    expect(first.filter((r) => r.status === 'fulfilled' && 'inFlightForMs' in r.value)).toHaveLength(2);
    expect(await rowOf(id)).toMatchObject({ status: 'Pending', attempts: 1 });
    // The raise run again a moment later: the attempt is still out (outcome unknown), nothing is sent.
    const again = await yielding(300);
    expect(again).toMatchObject({ inFlightForMs: expect.any(Number) });
    expect((again as { inFlightForMs: number }).inFlightForMs).toBeLessThan(15_000);
    expect(fake.requests).toHaveLength(1);
    // A delivery workflow's attempt does not yield: it sends again under the same key and records it.
    expect(await activities().attemptDelivery({ deliveryId: id })).toEqual({ status: 'Delivered', attempts: 2 });
    expect(fake.requests.map((r) => r.idempotencyKey)).toEqual([id, id]);
    expect(fake.deliveries).toHaveLength(1);
  });

  it('concurrent attempts meet on one email', async () => {
    const id = await plannedAlertEmail();
    const results = await Promise.allSettled([1, 2, 3].map(() => activities().attemptDelivery({ deliveryId: id })));
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    expect(fake.deliveries).toHaveLength(1);
  });
});

describe('createChannelsFromEnv', () => {
  it('prefers Resend, falls back to SMTP, and refuses to guess', () => {
    const base = { EMAIL_FROM: FROM, WEBHOOK_ALLOW_PRIVATE_NETWORKS: false };
    expect(createChannelsFromEnv({ ...base, RESEND_API_KEY: 're_x', SMTP_URL: 'smtp://h:25' }).transport).toBe('resend');
    expect(createChannelsFromEnv({ ...base, SMTP_URL: 'smtp://h:25' }).transport).toBe('smtp');
    expect(() => createChannelsFromEnv(base)).toThrow(/RESEND_API_KEY.*SMTP_URL/s);
  });
});

describe('the SMTP channel', () => {
  let inbox: LocalInbox;
  beforeAll(async () => {
    inbox = await startLocalInbox({ smtpPort: 0, webPort: 0 });
  });
  afterAll(async () => inbox?.stop());

  it('delivers to a local inbox with the delivery id as Message-ID', async () => {
    const id = await plannedAlertEmail('Ops@Example.com');
    const smtp = createDeliveryActivities({
      db: handle.db, publicUrl: 'http://localhost:3000',
      channels: { email: createSmtpChannel({ url: inbox.smtpUrl, from: FROM }), webhook: createWebhookChannel({ allowPrivateNetworks: true }) },
    });
    expect(await smtp.attemptDelivery({ deliveryId: id })).toEqual({ status: 'Delivered', attempts: 1 });
    await smtp.attemptDelivery({ deliveryId: id });
    const received = (await (await fetch(`${inbox.webUrl}/api/email`)).json()) as Array<Record<string, any>>;
    const mine = received.filter((m) => m.headers?.['x-delivery-id'] === id);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.headers['message-id']).toBe(messageIdOf(id));
    expect(mine[0]!.html).toContain('&lt;script&gt;');
    expect(mine[0]!.to.map((t: { address: string }) => t.address)).toEqual(['Ops@example.com']);
  });
});
