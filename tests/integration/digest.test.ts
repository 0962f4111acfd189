import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsOf, runJob } from '../support/jobs';
import { createVault, eventually, startStack, type Stack } from '../support/stack';

const INTERVAL_MS = 5_000;
let stack: Stack;
beforeAll(async () => { stack = await startStack({ digestIntervalMs: INTERVAL_MS }); });
afterAll(() => stack?.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mailOf = (vaultId: string) => stack.resend.deliveries.filter((d) => d.text?.includes(vaultId));
const digestsOf = async (vaultId: string) =>
  stack.sql`select alert_ids, target from deliveries where vault_id = ${vaultId} and event = 'digest' and status = 'Delivered' order by created_at`;

/** Waits for the start of the next window, so a test's alerts all fall inside one window. */
async function atWindowStart() {
  await sleep(INTERVAL_MS - (Date.now() % INTERVAL_MS) + 150);
  return Math.floor(Date.now() / INTERVAL_MS) * INTERVAL_MS;
}

async function digestVault(frequency = 'HourlyDigest') {
  const vaultId = await createVault(stack);
  const saved = await stack.api('PUT', `/v1/vaults/${vaultId}/notification-settings`, { enabled: true, recipients: ['ops@contoso.com'], frequency });
  expect(saved.status).toBe(200);
  await eventually(async () => mailOf(vaultId).length === 1, 'welcome');
  return vaultId;
}

describe('hourly digest (DIGEST_INTERVAL = 5 s)', () => {
  it('sends one digest at the end of the window with only the alerts still Active', async () => {
    const vaultId = await digestVault();
    const windowStart = await atWindowStart();
    await runJob(stack, vaultId, { entityName: 'vm-kept' });
    await runJob(stack, vaultId, { entityName: 'vm-resolved' });
    const resolved = (await alertsOf(stack, vaultId)).find((a) => a.entityName === 'vm-resolved');
    expect((await stack.api('POST', `/v1/vaults/${vaultId}/alerts/${resolved.id}/inactivate`)).status).toBe(202);
    expect(mailOf(vaultId)).toHaveLength(1); // nothing before the window ends

    const [digest] = await eventually(async () => {
      const digests = mailOf(vaultId).filter((d) => d.subject.match(/digest/i) || d.text?.includes('vm-kept'));
      return digests.length ? digests : null;
    }, 'the digest', 3 * INTERVAL_MS);
    expect(Date.now()).toBeGreaterThanOrEqual(windowStart + INTERVAL_MS);
    expect(digest!.text).toContain('vm-kept');
    expect(digest!.text).not.toContain('vm-resolved');
    expect(digest!.to).toEqual(['ops@contoso.com']);

    // The next window is empty: it sends nothing.
    await sleep(INTERVAL_MS + 1_000);
    expect(mailOf(vaultId)).toHaveLength(2);
    expect(await digestsOf(vaultId)).toHaveLength(1);
  });

  it('sends nothing for a window whose alerts were all resolved', async () => {
    const vaultId = await digestVault();
    await atWindowStart();
    await runJob(stack, vaultId, { entityName: 'vm-flaky' });
    const [alert] = await alertsOf(stack, vaultId);
    await stack.api('POST', `/v1/vaults/${vaultId}/alerts/${alert.id}/inactivate`);
    await sleep(INTERVAL_MS + 2_000);
    expect(mailOf(vaultId)).toHaveLength(1); // the welcome only
  });

  it('switching frequency mid-window neither loses nor repeats an alert', async () => {
    const vaultId = await digestVault();
    await atWindowStart();
    await runJob(stack, vaultId, { entityName: 'vm-before-switch' });
    const switched = await stack.api('PUT', `/v1/vaults/${vaultId}/notification-settings`, { enabled: true, recipients: ['ops@contoso.com'], frequency: 'PerAlert' });
    expect(switched.status).toBe(200);
    await runJob(stack, vaultId, { entityName: 'vm-after-switch' });
    await eventually(async () => mailOf(vaultId).some((d) => d.text?.includes('vm-after-switch')), 'per-alert email after the switch');
    await eventually(async () => mailOf(vaultId).some((d) => d.text?.includes('vm-before-switch')), 'digest with the earlier alert', 3 * INTERVAL_MS);
    await sleep(INTERVAL_MS);
    const emails = mailOf(vaultId);
    expect(emails).toHaveLength(3); // welcome, per-alert, digest: no welcome for an unchanged recipient
    expect(emails.filter((d) => d.text?.includes('vm-before-switch'))).toHaveLength(1);
    expect(emails.filter((d) => d.text?.includes('vm-after-switch'))).toHaveLength(1);
  });
});
