// §2.6 severity floors (settings and per recipient) and notifyOnResolved, end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsOf, runJob } from '../support/jobs';
import { createVault, eventually, startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(() => stack?.close());

const mailOf = (vaultId: string) => stack.resend.deliveries.filter((d) => d.text?.includes(vaultId));
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_000));
const warning = { workloadType: 'MAB', entityName: 'srv-warn', outcome: { status: 'CompletedWithWarnings', warnings: ['skipped'] } } as const;
const critical = { entityName: 'vm-crit' } as const;

async function subscribe(vaultId: string, body: Record<string, unknown>) {
  const saved = await stack.api('PUT', `/v1/vaults/${vaultId}/notification-settings`, { enabled: true, frequency: 'PerAlert', ...body });
  expect(saved.status).toBe(200);
  return saved.body;
}

describe('severity floors', () => {
  it('answers recipients as saved and applies the settings floor and each recipient floor', async () => {
    const vaultId = await createVault(stack);
    const recipients = ['all@contoso.com', { address: 'crit@contoso.com', minSeverity: 'Critical' }, { address: 'warn@contoso.com', minSeverity: 'Warning' }];
    const saved = await subscribe(vaultId, { recipients, minSeverity: 'Critical' });
    expect(saved).toEqual({ enabled: true, recipients, frequency: 'PerAlert', minSeverity: 'Critical', notifyOnResolved: false, weeklyReport: false });
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/notification-settings`)).body).toEqual(saved);
    await eventually(async () => mailOf(vaultId).length === 3, 'three welcomes');
    stack.resend.reset();

    await runJob(stack, vaultId, warning);
    await eventually(async () => mailOf(vaultId).length === 1, 'the Warning email');
    await settle();
    // The settings floor (Critical) keeps the plain address out; warn@ has its own lower floor.
    expect(mailOf(vaultId).map((d) => d.to)).toEqual([['warn@contoso.com']]);

    stack.resend.reset();
    await runJob(stack, vaultId, critical);
    await eventually(async () => mailOf(vaultId).length === 3, 'the Critical emails');
    await settle();
    expect(mailOf(vaultId).map((d) => d.to[0]).sort()).toEqual(['all@contoso.com', 'crit@contoso.com', 'warn@contoso.com']);
  });

  it('refuses an unknown floor and an invalid address in the object form', async () => {
    const vaultId = await createVault(stack);
    for (const recipients of [[{ address: 'a@contoso.com', minSeverity: 'Low' }], [{ address: 'not an address', minSeverity: 'Critical' }]]) {
      const answer = await stack.api('PUT', `/v1/vaults/${vaultId}/notification-settings`, { enabled: true, recipients, frequency: 'PerAlert' });
      expect(answer.status).toBe(400);
    }
    expect((await stack.api('PUT', `/v1/vaults/${vaultId}/notification-settings`, { enabled: true, recipients: [], frequency: 'PerAlert', minSeverity: 'Low' })).status).toBe(400);
  });

  it('records settings.updated in the audit log with the request id', async () => {
    const vaultId = await createVault(stack);
    await stack.api('PUT', `/v1/vaults/${vaultId}/notification-settings`, { enabled: false, recipients: [], frequency: 'PerAlert' }, { 'x-request-id': 'req-floors-1' });
    const rows = await stack.sql`select principal, action, request_id from audit where vault_id = ${vaultId} and action = 'settings.updated'`;
    expect(rows).toEqual([{ principal: 'admin', action: 'settings.updated', request_id: 'req-floors-1' }]);
  });
});

describe('notifyOnResolved', () => {
  it('emails a short note on resolution to the recipients that got the alert, and only them', async () => {
    const vaultId = await createVault(stack);
    await subscribe(vaultId, { recipients: ['ops@contoso.com', { address: 'crit@contoso.com', minSeverity: 'Critical' }], notifyOnResolved: true });
    await eventually(async () => mailOf(vaultId).length === 2, 'welcomes');
    stack.resend.reset();
    await runJob(stack, vaultId, warning);
    await eventually(async () => mailOf(vaultId).length === 1, 'the alert email to ops only');
    const [alert] = await alertsOf(stack, vaultId);
    await eventually(async () => (await stack.sql`select status from deliveries where alert_id = ${alert.id}`).every((d) => d.status === 'Delivered'), 'delivered');
    expect((await stack.api('POST', `/v1/vaults/${vaultId}/alerts/${alert.id}/inactivate`)).status).toBe(202);
    const resolved = await eventually(async () => {
      const found = mailOf(vaultId).filter((d) => d.subject.startsWith('[Resolved]'));
      return found.length ? found : null;
    }, 'the resolution email');
    await settle();
    expect(resolved.map((d) => d.to)).toEqual([['ops@contoso.com']]);
    expect(resolved[0]!.text).toMatch(/inactivated by admin/);
  });

  it('sends nothing on resolution when notifyOnResolved is off', async () => {
    const vaultId = await createVault(stack);
    await subscribe(vaultId, { recipients: ['ops@contoso.com'] });
    await runJob(stack, vaultId, critical);
    await eventually(async () => mailOf(vaultId).length === 2, 'welcome and alert');
    const [alert] = await alertsOf(stack, vaultId);
    await stack.api('POST', `/v1/vaults/${vaultId}/alerts/${alert.id}/inactivate`);
    await settle();
    expect(mailOf(vaultId)).toHaveLength(2);
    expect((await stack.sql`select event from deliveries where vault_id = ${vaultId} and event = 'alert.resolved'`)).toHaveLength(0);
  });
});
