import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleSession } from '../support/console';
import { runJob } from '../support/jobs';
import { createVault, startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => { stack = await startStack({ readYourWritesMs: 500 }); });
afterAll(() => stack?.close());

let session: Awaited<ReturnType<typeof consoleSession>>;
beforeAll(async () => { session = await consoleSession(stack); });
const page = (path: string, init: RequestInit = {}) => session.page(path, init);

describe('console: protected items', () => {
  it('lists items with health badges and filters, shows an item with its jobs, alerts and policy form, saves a policy', async () => {
    const vaultId = await createVault(stack);
    await stack.api('PUT', `/v1/vaults/${vaultId}`, { contacts: { owners: [], admins: [], coAdmins: [] }, backupPolicy: { expectedEvery: '24h', grace: '2h' } });
    const name = 'SQLDataBase;mssqlserver;db/1';
    await runJob(stack, vaultId, { workloadType: 'AzureWorkload', trigger: 'User', entityName: name, outcome: { status: 'Completed' } });
    await runJob(stack, vaultId, { entityName: 'vm-bad', outcome: { status: 'Failed', errorCode: 'UserErrorDiskFull' } });

    const list = await page(`/console/vaults/${vaultId}/items`);
    expect(list.status).toBe(200);
    expect(list.html).toContain('data-health="Healthy"');
    expect(list.html).toContain('data-health="Critical"');
    const critical = await page(`/console/vaults/${vaultId}/items?health=Critical`);
    expect(critical.html).toContain('vm-bad');
    expect(critical.html).not.toContain('mssqlserver');
    expect((await page(`/console/vaults/${vaultId}`)).html).toContain(`/console/vaults/${vaultId}/items`);

    const itemUrl = `/console/vaults/${vaultId}/items/AzureWorkload/${encodeURIComponent(name)}`;
    expect(list.html).toContain(itemUrl.replace(/&/g, '&amp;'));
    const item = await page(itemUrl);
    expect(item.status).toBe(200);
    expect(item.html).toContain('id="policy-form"');
    expect(item.html).toContain('id="jobs"');
    expect(item.html).toContain('the vault default');

    const form = (fields: Record<string, string>) => page(`${itemUrl}/policy`, {
      method: 'POST', body: new URLSearchParams(fields), headers: { origin: stack.baseUrl, 'content-type': 'application/x-www-form-urlencoded' },
    });
    const bad = await form({ mode: 'item', expectedEvery: '100d', grace: '1h' });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('policy-errors');
    const saved = await form({ mode: 'item', expectedEvery: '4h', grace: '30m' });
    expect(saved.status).toBe(303);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/items/AzureWorkload/${encodeURIComponent(name)}`)).body.policy).toEqual({ expectedEvery: '4h', grace: '30m', source: 'item' });
    expect((await page(saved.location!)).html).toContain('Backup policy saved.');
    expect((await form({ mode: 'disabled', expectedEvery: '', grace: '' })).status).toBe(303);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/items/AzureWorkload/${encodeURIComponent(name)}`)).body.policy).toBeNull();
    expect((await page(`/console/vaults/${vaultId}/items/AzureVM/nope`)).status).toBe(404);
  });
});
