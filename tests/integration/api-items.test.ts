import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../support/jobs';
import { createVault, startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => { stack = await startStack({ readYourWritesMs: 500 }); });
afterAll(() => stack?.close());

/** Timestamps read with stack.sql arrive as strings. */
const t = (value: unknown) => new Date(value as string).getTime();
const DAY_POLICY = { expectedEvery: '24h', grace: '2h' };
const itemPath = (vaultId: string, workloadType: string, entityName: string) =>
  `/v1/vaults/${vaultId}/items/${workloadType}/${encodeURIComponent(entityName)}`;

async function vaultWithPolicy(backupPolicy: unknown = DAY_POLICY) {
  const vaultId = await createVault(stack);
  const put = await stack.api('PUT', `/v1/vaults/${vaultId}`, { contacts: { owners: [], admins: [], coAdmins: [] }, backupPolicy });
  expect(put.status).toBe(200);
  return vaultId;
}

describe('items', () => {
  it('an item is known from its first job, in exactly the §4 shape', async () => {
    const vaultId = await vaultWithPolicy();
    const name = 'SQLDataBase;mssqlserver;db1';
    const jobId = await runJob(stack, vaultId, { workloadType: 'AzureWorkload', trigger: 'User', entityName: name, outcome: { status: 'Completed' } });
    const got = await stack.api('GET', itemPath(vaultId, 'AzureWorkload', name));
    expect(got.status).toBe(200);
    const job = (await stack.api('GET', `/v1/vaults/${vaultId}/jobs/${jobId}`)).body;
    expect(got.body).toEqual({
      vaultId, workloadType: 'AzureWorkload', entityName: name, protection: 'Protected', health: 'Healthy',
      lastJobAt: job.startedAt, lastBackup: { jobId, status: 'Completed', endedAt: job.endedAt },
      lastSuccessfulBackupAt: job.endedAt, policy: { ...DAY_POLICY, source: 'vault' },
      openAlerts: { Critical: 0, Warning: 0, Informational: 0 },
    });
    // Also reachable with the name's slashes and semicolons encoded and raw.
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/items/AzureWorkload/SQLDataBase;mssqlserver;db1`)).status).toBe(200);
    // The clock starts at the latest of the success and the moment the item was first seen, which
    // may follow the job's end when the API accepted the outcome before a worker recorded the start.
    const [row] = await stack.sql`select deadline_at, policy_since from items where vault_id = ${vaultId}`;
    expect(t(row!.deadline_at)).toBe(Math.max(Date.parse(job.endedAt), t(row!.policy_since)) + 26 * 3_600_000);
  });

  it('health and open alert counts follow alerts; a failed backup is Critical', async () => {
    const vaultId = await vaultWithPolicy(null);
    const jobId = await runJob(stack, vaultId, { entityName: 'vm/with/slashes', outcome: { status: 'Failed', errorCode: 'UserErrorDiskFull' } });
    const item = (await stack.api('GET', itemPath(vaultId, 'AzureVM', 'vm/with/slashes'))).body;
    expect(item).toMatchObject({ health: 'Critical', openAlerts: { Critical: 1, Warning: 0, Informational: 0 }, lastBackup: { jobId, status: 'Failed' }, lastSuccessfulBackupAt: null, policy: null });
    await runJob(stack, vaultId, { entityName: 'never-backed-up', operation: 'Restore', trigger: 'User', outcome: { status: 'Completed' } });
    expect((await stack.api('GET', itemPath(vaultId, 'AzureVM', 'never-backed-up'))).body).toMatchObject({ health: 'Unknown', lastBackup: null });
  });

  it('404 for an unknown item, vault or workload type', async () => {
    const vaultId = await vaultWithPolicy();
    for (const path of [itemPath(vaultId, 'AzureVM', 'nope'), itemPath('no-such-vault', 'AzureVM', 'x'), itemPath(vaultId, 'Tape', 'x')]) {
      const got = await stack.api('GET', path);
      expect(got.status, path).toBe(404);
      expect(got.contentType).toContain('application/problem+json');
    }
    expect((await stack.api('PUT', `${itemPath(vaultId, 'AzureVM', 'nope')}/policy`, DAY_POLICY)).status).toBe(404);
    expect((await stack.api('DELETE', `${itemPath(vaultId, 'AzureVM', 'nope')}/policy`)).status).toBe(404);
  });

  it('lists ordered by workloadType then entityName, with filters and keyset pages', async () => {
    const vaultId = await vaultWithPolicy(null);
    const specs = [
      { workloadType: 'MAB', entityName: 'srv-b', outcome: { status: 'Completed' } },
      { workloadType: 'AzureVM', entityName: 'vm-c', outcome: { status: 'Failed', errorCode: 'X' } },
      { workloadType: 'AzureVM', entityName: 'vm-a', outcome: { status: 'Completed' } },
      { workloadType: 'AzureFiles', entityName: 'share-1', outcome: { status: 'Completed' } },
      { workloadType: 'MAB', entityName: 'srv-a', operation: 'StopProtectionRetainData', trigger: 'User', outcome: { status: 'Completed' } },
    ];
    await Promise.all(specs.map((spec) => runJob(stack, vaultId, spec)));
    const all = (await stack.api('GET', `/v1/vaults/${vaultId}/items`)).body;
    expect(all.items.map((i: any) => `${i.workloadType}/${i.entityName}`)).toEqual(['AzureFiles/share-1', 'AzureVM/vm-a', 'AzureVM/vm-c', 'MAB/srv-a', 'MAB/srv-b']);
    expect(all.nextCursor).toBeNull();

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = (await stack.api('GET', `/v1/vaults/${vaultId}/items?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).body;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i: any) => i.entityName));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['share-1', 'vm-a', 'vm-c', 'srv-a', 'srv-b']);

    const names = async (query: string) => (await stack.api('GET', `/v1/vaults/${vaultId}/items?${query}`)).body.items.map((i: any) => i.entityName);
    expect(await names('health=Critical')).toEqual(['vm-c']);
    expect(await names('health=Healthy')).toEqual(['share-1', 'vm-a', 'srv-b']);
    expect(await names('workloadType=AzureVM')).toEqual(['vm-a', 'vm-c']);
    expect(await names('protection=Stopped')).toEqual(['srv-a']);
    expect(await names('protection=Protected&workloadType=MAB')).toEqual(['srv-b']);
    for (const bad of ['health=Sick', 'protection=Paused', 'workloadType=Tape', 'limit=0', 'limit=501', 'cursor=garbage']) {
      expect((await stack.api('GET', `/v1/vaults/${vaultId}/items?${bad}`)).status, bad).toBe(400);
    }
  });
});

describe('policies', () => {
  it('PUT sets the item override, {disabled:true} opts out, DELETE restores the vault default; each audited', async () => {
    const vaultId = await vaultWithPolicy();
    await runJob(stack, vaultId, { entityName: 'vm-p', outcome: { status: 'Completed' } });
    const path = `${itemPath(vaultId, 'AzureVM', 'vm-p')}/policy`;
    const put = await stack.api('PUT', path, { expectedEvery: '4h', grace: '30m' }, { 'x-request-id': 'req-policy-1' });
    expect(put.status).toBe(200);
    expect(put.body.policy).toEqual({ expectedEvery: '4h', grace: '30m', source: 'item' });
    const [row] = await stack.sql`select deadline_at, last_successful_backup_at, policy_since from items where vault_id = ${vaultId}`;
    expect(t(row!.deadline_at)).toBe(Math.max(t(row!.policy_since), t(row!.last_successful_backup_at)) + 4.5 * 3_600_000);

    const off = await stack.api('PUT', path, { disabled: true });
    expect(off.status).toBe(200);
    expect(off.body.policy).toBeNull();
    expect((await stack.sql`select deadline_at from items where vault_id = ${vaultId}`)[0]!.deadline_at).toBeNull();

    const del = await stack.api('DELETE', path);
    expect(del.status).toBe(200);
    expect(del.body.policy).toEqual({ ...DAY_POLICY, source: 'vault' });
    expect((await stack.sql`select deadline_at from items where vault_id = ${vaultId}`)[0]!.deadline_at).not.toBeNull();

    const audit = await stack.sql`select principal, action, target, request_id from audit where vault_id = ${vaultId} and action like 'policy.%' order by id`;
    expect(audit.map((a) => a.action)).toEqual(['policy.updated', 'policy.updated', 'policy.deleted']);
    expect(audit[0]).toMatchObject({ principal: 'admin', target: 'item/AzureVM/vm-p', request_id: 'req-policy-1' });
  });

  it('re-sending the same policy does not push the deadline back', async () => {
    const vaultId = await vaultWithPolicy(null);
    await runJob(stack, vaultId, { entityName: 'vm-same', outcome: { status: 'Failed', errorCode: 'X' } });
    const path = `${itemPath(vaultId, 'AzureVM', 'vm-same')}/policy`;
    await stack.api('PUT', path, { expectedEvery: '1h', grace: '1h' });
    const first = t((await stack.sql`select deadline_at from items where vault_id = ${vaultId}`)[0]!.deadline_at);
    await new Promise((r) => setTimeout(r, 50));
    await stack.api('PUT', path, { expectedEvery: '60m', grace: '3600s' });
    expect(t((await stack.sql`select deadline_at from items where vault_id = ${vaultId}`)[0]!.deadline_at)).toBe(first);
  });

  it('400 for bad durations and bodies; a rejected request changes nothing', async () => {
    const vaultId = await vaultWithPolicy();
    await runJob(stack, vaultId, { entityName: 'vm-bad', outcome: { status: 'Completed' } });
    const path = `${itemPath(vaultId, 'AzureVM', 'vm-bad')}/policy`;
    const bodies = [
      { expectedEvery: '0s', grace: '1h' }, { expectedEvery: '91d', grace: '1h' }, { expectedEvery: '999ms', grace: '1h' },
      { expectedEvery: 'daily', grace: '1h' }, { expectedEvery: '24h' }, { disabled: false }, { expectedEvery: '24h', grace: '1h', extra: 1 },
      {}, 'not json',
    ];
    for (const body of bodies) {
      const got = await stack.api('PUT', path, body);
      expect(got.status, JSON.stringify(body)).toBe(400);
      expect(got.contentType).toContain('application/problem+json');
    }
    expect((await stack.api('PUT', `/v1/vaults/${vaultId}`, { contacts: { owners: [], admins: [], coAdmins: [] }, backupPolicy: { expectedEvery: '100d', grace: '1h' } })).status).toBe(400);
    expect((await stack.api('GET', itemPath(vaultId, 'AzureVM', 'vm-bad'))).body.policy).toEqual({ ...DAY_POLICY, source: 'vault' });
    expect((await stack.sql`select count(*)::int as n from audit where vault_id = ${vaultId} and action like 'policy.%'`)[0]!.n).toBe(0);
  });

  it('a vault default change starts to apply to items without their own policy', async () => {
    const vaultId = await vaultWithPolicy(null);
    await runJob(stack, vaultId, { entityName: 'vm-default', outcome: { status: 'Completed' } });
    await runJob(stack, vaultId, { entityName: 'vm-own', outcome: { status: 'Completed' } });
    await stack.api('PUT', `${itemPath(vaultId, 'AzureVM', 'vm-own')}/policy`, { expectedEvery: '2h', grace: '1h' });
    const before = new Date();
    await stack.api('PUT', `/v1/vaults/${vaultId}`, { contacts: { owners: [], admins: [], coAdmins: [] }, backupPolicy: DAY_POLICY });
    const rows = await stack.sql`select entity_name, policy_since from items where vault_id = ${vaultId} order by entity_name`;
    expect(t(rows.find((r) => r.entity_name === 'vm-default')!.policy_since)).toBeGreaterThanOrEqual(before.getTime() - 5);
    expect(t(rows.find((r) => r.entity_name === 'vm-own')!.policy_since)).toBeLessThan(before.getTime());
    expect((await stack.api('GET', itemPath(vaultId, 'AzureVM', 'vm-default'))).body.policy).toEqual({ ...DAY_POLICY, source: 'vault' });
    expect((await stack.api('GET', itemPath(vaultId, 'AzureVM', 'vm-own'))).body.policy.source).toBe('item');
  });
});
