// Issue 12's "done when", observed where a recipient observes it: the emails the fake provider
// received, whichever path (vault workflow or delivery log) sends them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsOf, runJob } from '../support/jobs';
import { createVault, eventually, startStack, type Stack } from '../support/stack';

const INTERVAL_MS = 8_000;
let stack: Stack;
beforeAll(async () => { stack = await startStack({ digestIntervalMs: INTERVAL_MS }); });
afterAll(() => stack?.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mailOf = (vaultId: string) => stack.resend.deliveries.filter((d) => d.text?.includes(vaultId));
async function subscribed(frequency: 'PerAlert' | 'HourlyDigest') {
  const vaultId = await createVault(stack);
  expect((await stack.api('PUT', `/v1/vaults/${vaultId}/notification-settings`, { enabled: true, recipients: ['ops@contoso.com'], frequency })).status).toBe(200);
  await eventually(async () => mailOf(vaultId).length === 1, 'the welcome email');
  return vaultId;
}

describe('what recipients get across the lifecycle', () => {
  it('failure → email, success → AutoResolved (no email), failure → a new alert and a second email', async () => {
    const vaultId = await subscribed('PerAlert');
    await runJob(stack, vaultId, { entityName: 'vm-01' });
    await eventually(async () => mailOf(vaultId).length === 2, 'the first alert email');
    await runJob(stack, vaultId, { entityName: 'vm-01', outcome: { status: 'Completed' } });
    expect((await alertsOf(stack, vaultId))[0]).toMatchObject({ status: 'Inactive', resolution: 'AutoResolved' });
    await runJob(stack, vaultId, { entityName: 'vm-01' });
    await eventually(async () => mailOf(vaultId).length === 3, 'the second alert email');
    await sleep(1_000);
    expect(mailOf(vaultId)).toHaveLength(3);
  });

  it('an acknowledged SQL alert keeps consolidating without email', async () => {
    const vaultId = await subscribed('PerAlert');
    const sql = { workloadType: 'AzureWorkload', entityName: 'sql-01/db', outcome: { status: 'Failed', errorCode: 'UserErrorSqlLogFull' } } as const;
    await runJob(stack, vaultId, sql);
    await eventually(async () => mailOf(vaultId).length === 2, 'the alert email');
    const [alert] = await alertsOf(stack, vaultId);
    expect((await stack.api('POST', `/v1/vaults/${vaultId}/alerts/${alert.id}/acknowledge`)).status).toBe(202);
    await runJob(stack, vaultId, sql);
    await runJob(stack, vaultId, sql);
    expect(await alertsOf(stack, vaultId)).toEqual([expect.objectContaining({ id: alert.id, status: 'Acknowledged', occurrences: 3 })]);
    await sleep(1_000);
    expect(mailOf(vaultId)).toHaveLength(2);
  });

  it('a failure and its success inside one digest window send no digest', async () => {
    const vaultId = await subscribed('HourlyDigest');
    await sleep(INTERVAL_MS - (Date.now() % INTERVAL_MS) + 150); // the start of a window
    await runJob(stack, vaultId, { entityName: 'vm-01' });
    await runJob(stack, vaultId, { entityName: 'vm-01', outcome: { status: 'Completed' } });
    const [alert] = await alertsOf(stack, vaultId);
    expect(alert).toMatchObject({ status: 'Inactive', resolution: 'AutoResolved' });
    const windowEnd = (Math.floor(Date.parse(alert.raisedAt) / INTERVAL_MS) + 1) * INTERVAL_MS;
    expect(Date.parse(alert.inactivatedAt)).toBeLessThan(windowEnd); // both inside one window
    await sleep(windowEnd - Date.now() + 3_000); // the window ended and its digest had time to leave
    expect(mailOf(vaultId)).toHaveLength(1);
  }, 60_000);
});
