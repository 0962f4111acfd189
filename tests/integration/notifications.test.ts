import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runJob, alertsOf } from '../support/jobs';
import { createVault, EMAIL_FROM, eventually, startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(() => stack?.close());
beforeEach(() => stack.resend.reset());

// Emails of earlier tests may still arrive: each test looks only at its own vault's emails.
const mailOf = (vaultId: string) => stack.resend.deliveries.filter((d) => d.text?.includes(vaultId));
const requestsOf = (vaultId: string) => stack.resend.requests.filter((r) => JSON.stringify(r.body).includes(vaultId));
const deliveriesTo = (address: string) => stack.resend.deliveries.filter((d) => d.to.includes(address));
/** Waits until no email of any earlier test is still in flight, so a scripted failure hits ours. */
async function quiesce() {
  await eventually(async () => (await stack.sql`select count(*)::int as n from deliveries where status = 'Pending' and vault_id = any(${[...stack.vaults]})`)[0]!.n === 0, 'delivery log to drain');
  await new Promise((resolve) => setTimeout(resolve, 300));
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_000));

async function subscribe(vaultId: string, recipients: string[], frequency = 'PerAlert', enabled = true) {
  const response = await stack.api('PUT', `/v1/vaults/${vaultId}/notification-settings`, { enabled, recipients, frequency });
  expect(response.status).toBe(200);
  return response;
}

describe('notification settings', () => {
  it('saves, normalises and reads back settings; defaults before the first save', async () => {
    const vaultId = await createVault(stack);
    const defaults = { minSeverity: 'Informational', notifyOnResolved: false, weeklyReport: false };
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/notification-settings`)).body).toEqual({ enabled: false, recipients: [], frequency: 'PerAlert', ...defaults });
    const saved = await subscribe(vaultId, [' Ops@Contoso.com', 'ops@contoso.com', 'backup-team@contoso.com'], 'HourlyDigest');
    expect(saved.body).toEqual({ enabled: true, recipients: ['Ops@Contoso.com', 'backup-team@contoso.com'], frequency: 'HourlyDigest', ...defaults });
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/notification-settings`)).body).toEqual(saved.body);
  });

  it.each([
    ['an invalid address', { enabled: true, recipients: ['not an address'], frequency: 'PerAlert' }],
    ['a header injection', { enabled: true, recipients: ['a@contoso.com\r\nBcc: x@evil.com'], frequency: 'PerAlert' }],
    ['an unknown frequency', { enabled: true, recipients: ['a@contoso.com'], frequency: 'Weekly' }],
    ['a missing field', { recipients: ['a@contoso.com'], frequency: 'PerAlert' }],
    ['101 recipients', { enabled: true, recipients: Array.from({ length: 101 }, (_, i) => `r${i}@contoso.com`), frequency: 'PerAlert' }],
  ])('refuses %s with a 400 problem and changes nothing', async (_, body) => {
    const vaultId = await createVault(stack);
    await subscribe(vaultId, ['keep@contoso.com']);
    const response = await stack.api('PUT', `/v1/vaults/${vaultId}/notification-settings`, body);
    expect(response.status).toBe(400);
    expect(response.contentType).toContain('application/problem+json');
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/notification-settings`)).body.recipients).toEqual(['keep@contoso.com']);
  });

  it('answers 404 for an unknown vault', async () => {
    expect((await stack.api('GET', '/v1/vaults/nope-x/notification-settings')).status).toBe(404);
    expect((await stack.api('PUT', '/v1/vaults/nope-x/notification-settings', { enabled: true, recipients: [], frequency: 'PerAlert' })).status).toBe(404);
  });
});

describe('emails', () => {
  it('welcomes only newly added recipients', async () => {
    const vaultId = await createVault(stack);
    await subscribe(vaultId, ['a@contoso.com', 'b@contoso.com']);
    await eventually(async () => mailOf(vaultId).length >= 2, 'two welcome emails');
    await subscribe(vaultId, ['A@contoso.com', 'b@contoso.com', 'c@contoso.com']);
    await eventually(async () => deliveriesTo('c@contoso.com').length === 1, 'welcome for c');
    await settle();
    // One welcome per address, sent independently (so in any order): c only after the second save.
    expect(mailOf(vaultId).map((d) => d.to).sort()).toEqual([['a@contoso.com'], ['b@contoso.com'], ['c@contoso.com']]);
    expect(mailOf(vaultId).at(-1)!.to).toEqual(['c@contoso.com']);
    for (const email of mailOf(vaultId)) {
      expect(email.from).toBe(EMAIL_FROM);
      expect(email.text).toMatch(/\S/);
      expect(email.subject).toContain(vaultId);
    }
  });

  it('PerAlert: one email per new alert, none for consolidated repeats until inactivation', async () => {
    const vaultId = await createVault(stack);
    await subscribe(vaultId, ['ops@contoso.com']);
    await eventually(async () => mailOf(vaultId).length === 1, 'welcome');
    stack.resend.reset();

    await runJob(stack, vaultId, { entityName: 'vm-<b>01</b>', outcome: { status: 'Failed', errorCode: 'UserErrorDiskFull', errorMessage: '<script>alert(1)</script>' } });
    const [email] = await eventually(async () => (mailOf(vaultId).length === 1 ? mailOf(vaultId) : null), 'alert email');
    expect(email!.to).toEqual(['ops@contoso.com']);
    expect(email!.subject).toMatch(/Critical/);
    expect(email!.subject).toMatch(/BackupFailure/);
    expect(email!.html).not.toContain('<script>alert(1)</script>');
    expect(email!.html).toContain('&lt;script&gt;');
    expect(email!.text).toContain('<script>alert(1)</script>');

    const sqlFailure = { workloadType: 'AzureWorkload', entityName: 'sql/db1', outcome: { status: 'Failed', errorCode: 'UserErrorSqlLogFull' } } as const;
    await runJob(stack, vaultId, sqlFailure);
    await runJob(stack, vaultId, sqlFailure);
    await eventually(async () => mailOf(vaultId).length === 2, 'first consolidated alert email');
    await settle();
    expect(mailOf(vaultId)).toHaveLength(2);
    const consolidated = (await alertsOf(stack, vaultId)).find((a) => a.entityName === 'sql/db1');
    expect(consolidated.occurrences).toBe(2);
    await stack.api('POST', `/v1/vaults/${vaultId}/alerts/${consolidated.id}/inactivate`);
    await runJob(stack, vaultId, sqlFailure);
    await eventually(async () => mailOf(vaultId).length === 3, 'a new alert after inactivation notifies again');
  });

  it('sends the destructive notice to owners, admins and co-admins even without settings', async () => {
    const vaultId = await createVault(stack, undefined, { owners: ['owner@contoso.com'], admins: ['admin@contoso.com'], coAdmins: ['co@contoso.com', 'OWNER@contoso.com'] });
    await runJob(stack, vaultId, { operation: 'DeleteBackupData', trigger: 'User', outcome: { status: 'Completed' } });
    // One message per address (the delivery log's unit), each contact once despite the repeated owner.
    await eventually(async () => mailOf(vaultId).length === 3, 'destructive notices');
    await settle();
    expect(mailOf(vaultId)).toHaveLength(3);
    expect(mailOf(vaultId).map((d) => d.to).sort()).toEqual([['admin@contoso.com'], ['co@contoso.com'], ['owner@contoso.com']]);
    for (const email of mailOf(vaultId)) expect(email.subject).toMatch(/DeleteBackupData/);
    expect(new Set(mailOf(vaultId).map((d) => d.idempotencyKey)).size).toBe(3);
  });

  it('survives a provider answering 500 then 429: exactly one email', async () => {
    const vaultId = await createVault(stack);
    await subscribe(vaultId, ['ops@contoso.com']);
    await eventually(async () => mailOf(vaultId).length === 1, 'welcome');
    await quiesce();
    stack.resend.reset();
    stack.resend.script([500, 429]);
    await runJob(stack, vaultId);
    await eventually(async () => mailOf(vaultId).length === 1, 'alert email after retries');
    await settle();
    expect(mailOf(vaultId)).toHaveLength(1);
    expect(requestsOf(vaultId).map((r) => r.answered)).toEqual([500, 429, 200]);
    expect(new Set(requestsOf(vaultId).map((r) => r.idempotencyKey)).size).toBe(1);
  });

  it('records a 422 as a failed delivery and sends nothing', async () => {
    const vaultId = await createVault(stack);
    await subscribe(vaultId, ['ops@contoso.com']);
    await eventually(async () => mailOf(vaultId).length === 1, 'welcome');
    await quiesce();
    stack.resend.reset();
    stack.resend.script([422]);
    await runJob(stack, vaultId);
    const [row] = await eventually(async () => {
      const rows = await stack.sql`select status, last_error, attempts from deliveries where vault_id = ${vaultId} and event = 'alert.raised'`;
      return rows.length && rows[0]!.status === 'Failed' ? rows : null;
    }, 'failed delivery');
    expect(row!.attempts).toBe(1);
    expect(row!.last_error).toMatch(/422|validation/i);
    await settle();
    expect(mailOf(vaultId)).toHaveLength(0);
    expect(requestsOf(vaultId)).toHaveLength(1);
  });
});
