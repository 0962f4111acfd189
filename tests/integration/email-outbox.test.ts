// The outbox against a real Postgres (a throwaway database of its own), the real Resend SDK
// against a local fake of its API, and the SMTP mailer against an in-process MailDev.
import { ApplicationFailure } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmailOutbox, idempotencyKeyFor, type OutboxEmail } from '../../activities/email-outbox';
import { MailerError, createMailerFromEnv, createResendMailer, createSmtpMailer, messageIdFor } from '../../activities/mailer';
import { connectDb, type DbHandle } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { emailOutbox } from '../../db/schema';
import { SAMPLES } from '../../emails/preview/samples';
import { renderEmail } from '../../emails/render';
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

async function alertEmail(): Promise<OutboxEmail> {
  const alert = { ...SAMPLES.alert.alert, id: `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}` };
  const recipients = ['Ops@Example.com', 'backup@example.com'];
  const rendered = await renderEmail('alert', { vault: SAMPLES.alert.vault, alert }, { publicUrl: 'http://localhost:3000' });
  const idempotencyKey = idempotencyKeyFor({ kind: 'alert', vaultId: alert.vaultId, alertIds: [alert.id], recipients });
  return { kind: 'alert', vaultId: alert.vaultId, recipients, alertIds: [alert.id], idempotencyKey, ...rendered };
}

const row = async (key: string) =>
  (await handle.db.select().from(emailOutbox).where(eq(emailOutbox.idempotencyKey, key)))[0]!;

/** What Temporal's activity retry does: call again while the failure is retryable. */
async function deliverWithRetries(deliver: () => Promise<unknown>, max = 10) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deliver();
    } catch (error) {
      if (!(error instanceof ApplicationFailure) || error.nonRetryable || attempt >= max) throw error;
    }
  }
}

describe('idempotencyKeyFor', () => {
  const parts = { kind: 'digest' as const, vaultId: 'prod', windowStart: '2024-05-01T10:00:00Z', recipients: ['B@x.com', 'a@x.com'] };

  it('ignores recipient order and case, alert id order and timestamp spelling', () => {
    const key = idempotencyKeyFor(parts);
    expect(key).toMatch(/^digest:[0-9a-f]{64}$/);
    expect(idempotencyKeyFor({ ...parts, recipients: ['a@X.com', ' b@x.com', 'A@x.com'], windowStart: '2024-05-01T10:00:00.000Z' })).toBe(key);
    expect(idempotencyKeyFor({ ...parts, alertIds: ['2', '1'] })).toBe(idempotencyKeyFor({ ...parts, alertIds: ['1', '2'] }));
  });

  it('differs for another window, vault, recipient set or scope', () => {
    const key = idempotencyKeyFor(parts);
    expect(idempotencyKeyFor({ ...parts, windowStart: '2024-05-01T11:00:00Z' })).not.toBe(key);
    expect(idempotencyKeyFor({ ...parts, vaultId: 'dev' })).not.toBe(key);
    expect(idempotencyKeyFor({ ...parts, recipients: ['a@x.com'] })).not.toBe(key);
    expect(idempotencyKeyFor({ ...parts, scope: 'settings-2' })).not.toBe(key);
  });
});

describe('email outbox with the Resend mailer', () => {
  const outbox = () => createEmailOutbox({ db: handle.db, mailer: createResendMailer({ apiKey: 're_test', baseUrl: fake.baseUrl }), from: FROM });

  it('retries 500 and 429, then sends exactly once', async () => {
    const email = await alertEmail();
    fake.script([500, 429, 200]);
    const result = await deliverWithRetries(() => outbox().deliver(email));
    expect(result).toMatchObject({ status: 'Sent', attempts: 3, alreadySent: false });
    expect(fake.requests.map((r) => r.answered)).toEqual([500, 429, 200]);
    expect(new Set(fake.requests.map((r) => r.idempotencyKey))).toEqual(new Set([email.idempotencyKey]));
    expect(fake.deliveries).toHaveLength(1);
    const delivery = fake.deliveries[0]!;
    expect(delivery).toMatchObject({ from: FROM, to: ['Ops@Example.com', 'backup@example.com'], subject: email.subject });
    expect(delivery.text).toBe(email.text);
    const stored = await row(email.idempotencyKey);
    expect(stored).toMatchObject({ status: 'Sent', attempts: 3, providerId: delivery.id, lastError: null, kind: 'alert' });
    expect(stored.sentAt).toBeInstanceOf(Date);
  });

  it('marks a 422 Failed, sends nothing and fails without retry', async () => {
    const email = await alertEmail();
    fake.script([422]);
    const error = await outbox().deliver(email).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: 'EmailRejected', nonRetryable: true });
    expect(fake.deliveries).toHaveLength(0);
    const stored = await row(email.idempotencyKey);
    expect(stored).toMatchObject({ status: 'Failed', attempts: 1, providerId: null });
    expect(stored.lastError).toContain('validation_error');
  });

  it('never sends the same email twice', async () => {
    const email = await alertEmail();
    const first = await outbox().deliver(email);
    const second = await outbox().deliver(email);
    expect(second).toMatchObject({ outboxId: first.outboxId, providerId: first.providerId, alreadySent: true, attempts: 1 });
    expect(fake.requests).toHaveLength(1);
    expect(fake.deliveries).toHaveLength(1);
  });

  it('lets concurrent attempts meet on one send', async () => {
    const email = await alertEmail();
    const results = await Promise.all([outbox().deliver(email), outbox().deliver(email), outbox().deliver(email)]);
    expect(new Set(results.map((r) => r.providerId)).size).toBe(1);
    expect(results.filter((r) => !r.alreadySent)).toHaveLength(1);
    expect(fake.requests).toHaveLength(1);
  });

  it('relies on the provider key when a sent email was never recorded (crash after send)', async () => {
    const email = await alertEmail();
    const mailer = createResendMailer({ apiKey: 're_test', baseUrl: fake.baseUrl });
    const { subject, html, text, idempotencyKey } = email;
    const sent = await mailer.send({ from: FROM, to: email.recipients, subject, html, text, idempotencyKey });
    const result = await outbox().deliver(email);
    expect(result.providerId).toBe(sent.providerId);
    expect(fake.requests).toHaveLength(2);
    expect(fake.deliveries).toHaveLength(1);
  });

  it('splits more than 50 recipients into chunks that are each sent once across retries', async () => {
    const email = { ...(await alertEmail()), recipients: Array.from({ length: 120 }, (_, i) => `r${i}@example.com`) };
    fake.script([200, 500]);
    await deliverWithRetries(() => outbox().deliver(email));
    expect(fake.deliveries.map((d) => d.to.length)).toEqual([50, 50, 20]);
    expect(fake.deliveries.map((d) => d.idempotencyKey)).toEqual([1, 2, 3].map((n) => `${email.idempotencyKey}/${n}`));
    expect((await row(email.idempotencyKey)).providerId).toBe(fake.deliveries.map((d) => d.id).join(','));
  });

  it('times out a hanging provider as retryable, then succeeds', async () => {
    const email = await alertEmail();
    const slow = createEmailOutbox({
      db: handle.db,
      mailer: createResendMailer({ apiKey: 're_test', baseUrl: fake.baseUrl, timeoutMs: 300 }),
      from: FROM,
    });
    fake.script(['hang']);
    const error = await slow.deliver(email).catch((e: unknown) => e);
    expect(error).toMatchObject({ type: 'EmailProviderUnavailable', nonRetryable: false });
    expect((await row(email.idempotencyKey)).lastError).toMatch(/within 300 ms/);
    await expect(slow.deliver(email)).resolves.toMatchObject({ status: 'Sent', attempts: 2 });
    expect(fake.deliveries).toHaveLength(1);
  });
});

describe('Resend mailer error classification', () => {
  const message = { from: FROM, to: ['a@example.com'], subject: 's', html: '<p>h</p>', text: 't', idempotencyKey: 'k' };

  it.each([
    [500, true], [502, true], [429, true], [400, false], [401, false], [403, false], [422, false],
  ])('HTTP %i is retryable: %s', async (status, retryable) => {
    fake.script([status]);
    const error = await createResendMailer({ apiKey: 're_test', baseUrl: fake.baseUrl }).send(message).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailerError);
    expect(error).toMatchObject({ retryable, status });
  });

  it('treats a refused connection as retryable', async () => {
    const error = await createResendMailer({ apiKey: 're_test', baseUrl: 'http://127.0.0.1:1' }).send(message).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true, status: null });
  });
});

describe('createMailerFromEnv', () => {
  it('prefers Resend, falls back to SMTP, and refuses to guess', () => {
    expect(createMailerFromEnv({ RESEND_API_KEY: 're_x', RESEND_BASE_URL: undefined, SMTP_URL: 'smtp://h:25' }).transport).toBe('resend');
    expect(createMailerFromEnv({ RESEND_API_KEY: undefined, RESEND_BASE_URL: undefined, SMTP_URL: 'smtp://h:25' }).transport).toBe('smtp');
    expect(() => createMailerFromEnv({ RESEND_API_KEY: undefined, RESEND_BASE_URL: undefined, SMTP_URL: undefined })).toThrow(/RESEND_API_KEY.*SMTP_URL/s);
  });
});

describe('email outbox with the SMTP mailer', () => {
  let inbox: LocalInbox;
  beforeAll(async () => {
    inbox = await startLocalInbox({ smtpPort: 0, webPort: 0 });
  });
  afterAll(async () => inbox?.stop());

  it('delivers to a local inbox once, with a Message-ID derived from the key', async () => {
    const email = await alertEmail();
    const mailer = createSmtpMailer({ url: inbox.smtpUrl });
    const outbox = createEmailOutbox({ db: handle.db, mailer, from: FROM });
    const result = await outbox.deliver(email);
    await outbox.deliver(email);
    mailer.close();
    expect(result.providerId).toBe(messageIdFor(email.idempotencyKey, FROM));

    const received = (await (await fetch(`${inbox.webUrl}/api/email`)).json()) as Array<Record<string, any>>;
    const mine = received.filter((m) => m.headers?.['x-idempotency-key'] === email.idempotencyKey);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ subject: email.subject, text: email.text });
    expect(mine[0]!.headers['message-id']).toBe(result.providerId);
    expect(mine[0]!.html).toContain('&lt;script&gt;');
    // Domains are case-insensitive and get lower-cased on the way; the local part is kept as given.
    expect(mine[0]!.to.map((t: { address: string }) => t.address)).toEqual(['Ops@example.com', 'backup@example.com']);
  });

  it('classifies a refused SMTP connection as retryable', async () => {
    const mailer = createSmtpMailer({ url: 'smtp://127.0.0.1:1', timeoutMs: 2_000 });
    const error = await mailer
      .send({ from: FROM, to: ['a@example.com'], subject: 's', html: 'h', text: 't', idempotencyKey: 'k' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true });
  });
});
