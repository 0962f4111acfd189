// §2.6 isolation: a failing email provider delays no state change and no other delivery.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alerts, deliveries } from '../../db/schema';
import { startWebhookReceiver } from '../../scripts/lib/webhook-receiver';
import { alertsOf, runJob } from '../support/jobs';
import { createVault, eventually, startStack, type Stack } from '../support/stack';

let stack: Stack;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
beforeAll(async () => {
  stack = await startStack({ readYourWritesMs: 3_000 });
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await stack?.close();
  await receiver?.stop();
});

const mailOf = (vaultId: string) => stack.resend.deliveries.filter((d) => d.text?.includes(vaultId));
const timed = async <T>(work: () => Promise<T>) => {
  const started = Date.now();
  const value = await work();
  return { value, ms: Date.now() - started };
};

describe('a failing email provider', () => {
  it('settings, inactivation and webhooks go on at once; the next failure after an inactivation is notified once it recovers', async () => {
    const vaultId = await createVault(stack);
    const path = '/isolation';
    expect((await stack.api('POST', `/v1/vaults/${vaultId}/webhooks`, { url: receiver.url(path) })).status).toBe(201);
    stack.resend.script(Array.from({ length: 10_000 }, () => 500)); // every request fails until told otherwise

    const body = { enabled: true, recipients: ['ops@contoso.com', 'dba@contoso.com'], frequency: 'PerAlert' };
    const saved = await timed(() => stack.api('PUT', `/v1/vaults/${vaultId}/notification-settings`, body));
    expect(saved.value.status).toBe(200);
    expect(saved.ms).toBeLessThan(1_000);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/notification-settings`)).body).toMatchObject(body);

    const sql = { workloadType: 'AzureWorkload', entityName: 'sql/db1', outcome: { status: 'Failed', errorCode: 'UserErrorSqlLogFull' } } as const;
    await runJob(stack, vaultId, sql);
    // The webhook is not stuck behind the emails that keep failing.
    await eventually(async () => receiver.callsTo(path).length === 1, 'the webhook delivery', 20_000);
    const [alert] = await alertsOf(stack, vaultId);
    const inactivated = await timed(() => stack.api('POST', `/v1/vaults/${vaultId}/alerts/${alert.id}/inactivate`));
    expect(inactivated.value.status).toBe(202);
    expect(inactivated.ms).toBeLessThan(1_000);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/alerts/${alert.id}`)).body.status).toBe('Inactive');

    // The next failure opens a new alert instead of folding into the inactivated one.
    await runJob(stack, vaultId, sql);
    const alerts = await alertsOf(stack, vaultId);
    expect(alerts).toHaveLength(2);
    const fresh = alerts.find((a) => a.status === 'Active');
    // raised, resolved (the inactivation), raised again: the new alert reaches the webhook too.
    const events = () => receiver.callsTo(path).map((c) => JSON.parse(c.body) as { type: string; data: { alert: { id: string } } });
    await eventually(async () => events().some((e) => e.type === 'alert.raised' && e.data.alert.id === fresh?.id), 'the new alert\'s webhook delivery', 20_000);
    expect(events().map((e) => e.type)).toEqual(['alert.raised', 'alert.resolved', 'alert.raised']);
    const pending = await stack.sql`select status, attempts, last_error from deliveries where vault_id = ${vaultId} and channel = 'email'`;
    expect(pending.length).toBeGreaterThanOrEqual(4); // two welcomes, two alert emails per recipient…
    expect(pending.every((d) => d.status === 'Pending')).toBe(true);
    expect(pending.some((d) => /500/.test(d.last_error ?? ''))).toBe(true);
    expect(mailOf(vaultId)).toHaveLength(0);

    stack.resend.script([]); // the provider recovers
    await eventually(async () => mailOf(vaultId).filter((d) => d.subject.includes('BackupFailure') || d.subject.includes('sql/db1')).length >= 4, 'alert emails after recovery', 60_000);
    await eventually(async () => mailOf(vaultId).length === 6, 'welcomes and alert emails', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const freshMail = mailOf(vaultId).filter((d) => d.idempotencyKey && d.to.length === 1);
    expect(freshMail).toHaveLength(6);
    const keys = await stack.sql`select id from deliveries where vault_id = ${vaultId} and alert_id = ${fresh.id} and channel = 'email'`;
    expect(keys).toHaveLength(2);
    expect(keys.every((k) => stack.resend.deliveries.filter((d) => d.idempotencyKey === k.id).length === 1)).toBe(true);
  }, 120_000);

  it('one rejected welcome does not stop the others', async () => {
    stack.resend.script([]);
    const vaultId = await createVault(stack);
    await eventually(async () => (await stack.sql`select count(*)::int as n from deliveries where status = 'Pending' and vault_id = any(${[...stack.vaults]})`)[0]!.n === 0, 'earlier deliveries to finish', 60_000);
    stack.resend.script([422]);
    const recipients = ['typo@contoso.con', 'a@contoso.com', 'b@contoso.com', 'c@contoso.com'];
    expect((await stack.api('PUT', `/v1/vaults/${vaultId}/notification-settings`, { enabled: true, recipients, frequency: 'PerAlert' })).status).toBe(200);
    const rows = await eventually(async () => {
      const found = await stack.sql`select target, status, attempts from deliveries where vault_id = ${vaultId} and event = 'welcome'`;
      return found.length === 4 && found.every((r) => r.status !== 'Pending') ? found : null;
    }, 'every welcome settled', 30_000);
    expect(rows.filter((r) => r.status === 'Failed')).toHaveLength(1);
    expect(rows.filter((r) => r.status === 'Delivered')).toHaveLength(3);
    expect(mailOf(vaultId)).toHaveLength(3);
  }, 120_000);
});

describe('the sweeper', () => {
  it('starts a committed delivery whose dispatch was lost (a crash between commit and dispatch)', async () => {
    const vaultId = await createVault(stack);
    const now = new Date();
    const [alert] = await stack.db.insert(alerts).values({
      vaultId, scenario: 'BackupFailure', severity: 'Critical', status: 'Active', workloadType: 'AzureVM', entityName: 'vm-lost',
      jobId: 'j-lost', latestJobId: 'j-lost', raisedAt: now, lastOccurredAt: now,
    }).returning();
    // Planned and committed 20 s ago, never dispatched.
    const [row] = await stack.db.insert(deliveries).values({
      dedupKey: `alert.raised:${alert!.id}:email:lost@contoso.com`, vaultId, channel: 'email', target: 'lost@contoso.com', event: 'alert.raised',
      alertId: alert!.id, alertIds: [alert!.id], payload: { render: { kind: 'alert' } }, createdAt: new Date(Date.now() - 20_000),
    }).returning();
    await eventually(async () => (await stack.sql`select status from deliveries where id = ${row!.id}`)[0]!.status === 'Delivered', 'the sweeper to deliver it', 20_000);
    // Any worker's sweeper may take it (the test DB is shared by files, each with its own fake provider): one attempt, one send.
    const [done] = await stack.sql`select attempts, provider_id from deliveries where id = ${row!.id}`;
    expect(done!.attempts).toBe(1);
    expect(done!.provider_id).toBeTruthy();
    expect(stack.resend.deliveries.filter((d) => d.idempotencyKey === row!.id).length).toBeLessThanOrEqual(1);
  });
});
