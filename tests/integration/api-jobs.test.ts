import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVault, eventually, startStack, uniqueVaultId, type ApiResponse, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(() => stack?.close());

function expectProblem(response: ApiResponse, status: number) {
  expect(response.status).toBe(status);
  expect(response.contentType).toContain('application/problem+json');
  expect(response.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
}

const job = (over: Record<string, unknown> = {}) => ({
  workloadType: 'AzureVM', operation: 'Backup', trigger: 'Scheduled', entityName: 'vm-01', ...over,
});

describe('health and vaults', () => {
  it('answers /healthz when Postgres and Temporal answer', async () => {
    const response = await stack.api('GET', '/healthz');
    expect(response).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('creates (201), updates (200) and reads a vault', async () => {
    const vaultId = uniqueVaultId();
    const body = { name: 'Prod', subscriptionId: 'sub-1', contacts: { owners: ['Owner@Contoso.com', 'owner@contoso.com'], admins: [], coAdmins: ['co@contoso.com'] } };
    const created = await stack.api('PUT', `/v1/vaults/${vaultId}`, body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: vaultId, name: 'Prod', contacts: { owners: ['Owner@Contoso.com'], coAdmins: ['co@contoso.com'] } });
    const updated = await stack.api('PUT', `/v1/vaults/${vaultId}`, { ...body, name: 'Production' });
    expect(updated).toMatchObject({ status: 200, body: { name: 'Production' } });
    expect((await stack.api('GET', `/v1/vaults/${vaultId}`)).body).toMatchObject({ id: vaultId, name: 'Production' });
  });

  it('refuses bad vault input with problems and writes nothing', async () => {
    const vaultId = uniqueVaultId();
    expectProblem(await stack.api('PUT', `/v1/vaults/${vaultId}`, { contacts: { owners: ['not-an-address'] } }), 400);
    expectProblem(await stack.api('PUT', `/v1/vaults/${vaultId}`, '{"contacts":'), 400);
    expectProblem(await stack.api('PUT', `/v1/vaults/${vaultId}`, { name: 'x', contacts: { owners: 'a@contoso.com' } }), 400);
    expectProblem(await stack.api('PUT', `/v1/vaults/${vaultId}`, { name: 'line\r\nbreak' }), 400);
    expectProblem(await stack.api('PUT', `/v1/vaults/bad%2Fid`, { contacts: {} }), 400);
    expectProblem(await stack.api('GET', `/v1/vaults/${vaultId}`), 404);
  });

  it('keeps what an update leaves out: a PUT of autoResolve alone does not erase the name or the contacts', async () => {
    const vaultId = uniqueVaultId();
    const contacts = { owners: ['owner@contoso.com'], admins: ['admin@contoso.com'], coAdmins: [] };
    const full = { name: 'Prod', subscriptionId: 'sub-1', contacts, autoResolve: true, backupPolicy: { expectedEvery: '24h', grace: '2h' } };
    expect((await stack.api('PUT', `/v1/vaults/${vaultId}`, full)).status).toBe(201);
    const updated = await stack.api('PUT', `/v1/vaults/${vaultId}`, { autoResolve: false });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Prod', subscriptionId: 'sub-1', contacts, autoResolve: false, backupPolicy: full.backupPolicy });
    // Fields in the §4 order, as written in the contract.
    expect(Object.keys(updated.body.contacts)).toEqual(['owners', 'admins', 'coAdmins']);
    expect(Object.keys(updated.body.backupPolicy)).toEqual(['expectedEvery', 'grace']);
    // What is given replaces what was stored; null clears the name and the subscription.
    const cleared = await stack.api('PUT', `/v1/vaults/${vaultId}`, { name: null, subscriptionId: null, contacts: { owners: ['new@contoso.com'] }, backupPolicy: null });
    expect(cleared.body).toMatchObject({ name: null, subscriptionId: null, contacts: { owners: ['new@contoso.com'], admins: [], coAdmins: [] }, autoResolve: false, backupPolicy: null });
    expect((await stack.api('GET', `/v1/vaults/${vaultId}`)).body).toEqual(cleared.body);
  });

  it('creates a vault with only a name: contacts default to empty lists', async () => {
    const vaultId = uniqueVaultId();
    const created = await stack.api('PUT', `/v1/vaults/${vaultId}`, { name: 'Minimal' });
    expect(created).toMatchObject({ status: 201, body: { id: vaultId, name: 'Minimal', contacts: { owners: [], admins: [], coAdmins: [] } } });
  });
});

describe('job endpoints', () => {
  let vaultId: string;
  beforeAll(async () => { vaultId = await createVault(stack); });

  it('starts a job (201) and answers the same job for the same jobId (200)', async () => {
    const startedAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 5_000 + 678).toISOString();
    const first = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, job({ jobId: 'job-a', startedAt }));
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      id: 'job-a', vaultId, workloadType: 'AzureVM', operation: 'Backup', trigger: 'Scheduled', entityName: 'vm-01',
      status: 'InProgress', startedAt, endedAt: null, durationMs: null, errorCode: null, errorMessage: null, warnings: [],
    });
    const again = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, job({ jobId: 'job-a', startedAt }));
    expect(again).toMatchObject({ status: 200, body: first.body });
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/jobs/job-a`)).body).toEqual(first.body);
  });

  it('generates a UUID when no jobId is given, and accepts JSON sent without a content type', async () => {
    const response = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, JSON.stringify(job()), { 'content-type': 'application/x-www-form-urlencoded' });
    expect(response.status).toBe(201);
    expect(response.body.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('completes a job (202), then refuses a second outcome (409)', async () => {
    const { body } = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, job());
    const done = await stack.api('POST', `/v1/vaults/${vaultId}/jobs/${body.id}/complete`, {
      status: 'Failed', errorCode: 'UserErrorDiskFull', errorMessage: 'The disk is full',
    });
    expect(done.status).toBe(202);
    const read = await stack.api('GET', `/v1/vaults/${vaultId}/jobs/${body.id}`);
    expect(read.body).toMatchObject({ status: 'Failed', errorCode: 'UserErrorDiskFull', errorMessage: 'The disk is full' });
    expect(read.body.durationMs).toBe(Date.parse(read.body.endedAt) - Date.parse(read.body.startedAt));
    expectProblem(await stack.api('POST', `/v1/vaults/${vaultId}/jobs/${body.id}/complete`, { status: 'Completed' }), 409);
    expectProblem(await stack.api('POST', `/v1/vaults/${vaultId}/jobs/${body.id}/cancel`), 409);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/jobs/${body.id}`)).body.status).toBe('Failed');
  });

  it('cancels a job (202), then refuses to complete it (409)', async () => {
    const { body } = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, job());
    expect((await stack.api('POST', `/v1/vaults/${vaultId}/jobs/${body.id}/cancel`)).status).toBe(202);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/jobs/${body.id}`)).body.status).toBe('Cancelled');
    expectProblem(await stack.api('POST', `/v1/vaults/${vaultId}/jobs/${body.id}/complete`, { status: 'Completed' }), 409);
  });

  it.each([
    ['malformed JSON', '{"workloadType":', 400],
    ['an empty body', '', 400],
    ['an unknown workload', job({ workloadType: 'Tape' }), 400],
    ['an unknown operation', job({ operation: 'Reboot' }), 400],
    ['an unknown trigger', job({ trigger: 'Cron' }), 400],
    ['a missing entityName', { workloadType: 'AzureVM', operation: 'Backup', trigger: 'User' }, 400],
    ['a CR/LF in the entity name', job({ entityName: 'vm\r\nBcc: x@evil.com' }), 400],
    ['a jobId with a slash', job({ jobId: 'a/b' }), 400],
    ['a bad startedAt', job({ startedAt: 'yesterday' }), 400],
    ['a DPM job', job({ workloadType: 'DPM' }), 422],
    ['a MABS job', job({ workloadType: 'MABS' }), 422],
  ])('refuses %s with a problem and starts nothing', async (_, body, status) => {
    const vault = await createVault(stack);
    expectProblem(await stack.api('POST', `/v1/vaults/${vault}/jobs`, body), status);
    expect((await stack.api('GET', `/v1/vaults/${vault}/jobs`)).body.items).toEqual([]);
    const [row] = await stack.sql`select count(*)::int as n from jobs where vault_id = ${vault}`;
    expect(row!.n).toBe(0);
  });

  it('answers 404 for an unknown vault or job, 400 for bad outcomes', async () => {
    expectProblem(await stack.api('POST', `/v1/vaults/${uniqueVaultId()}/jobs`, job()), 404);
    expectProblem(await stack.api('GET', `/v1/vaults/${uniqueVaultId()}/jobs`), 404);
    expectProblem(await stack.api('GET', `/v1/vaults/${vaultId}/jobs/nope`), 404);
    expectProblem(await stack.api('POST', `/v1/vaults/${vaultId}/jobs/nope/complete`, { status: 'Completed' }), 404);
    expectProblem(await stack.api('POST', `/v1/vaults/${vaultId}/jobs/nope/cancel`), 404);
    const { body } = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, job());
    expectProblem(await stack.api('POST', `/v1/vaults/${vaultId}/jobs/${body.id}/complete`, { status: 'Cancelled' }), 400);
    expectProblem(await stack.api('POST', `/v1/vaults/${vaultId}/jobs/${body.id}/complete`, { status: 'Done' }), 400);
    expectProblem(await stack.api('POST', `/v1/vaults/${vaultId}/jobs/${body.id}/complete`, '{'), 400);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/jobs/${body.id}`)).body.status).toBe('InProgress');
  });
});

describe('job lists', () => {
  it('lists visible jobs newest first with filters and stable cursor pages', async () => {
    const vaultId = await createVault(stack);
    // Recent starts: a start older than JOB_TIMEOUT would (rightly) time the job out at once.
    const base = Math.floor(Date.now() / 1000) * 1000 - 120_000;
    const kinds = [
      { workloadType: 'AzureVM', operation: 'Backup', trigger: 'Scheduled' },
      { workloadType: 'AzureFiles', operation: 'Restore', trigger: 'User' },
      { workloadType: 'MAB', operation: 'Backup', trigger: 'Scheduled' },
      { workloadType: 'AzureWorkload', operation: 'Backup', trigger: 'User' },
      { workloadType: 'AzureWorkload', operation: 'Backup', trigger: 'Scheduled' }, // tracked, never listed
    ];
    for (let i = 0; i < 15; i++) {
      const startedAt = new Date(base + Math.floor(i / 2) * 1000 + 1).toISOString(); // pairs share a millisecond
      const response = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, { ...kinds[i % kinds.length], jobId: `j${String(i).padStart(2, '0')}`, entityName: `item-${i}`, startedAt });
      expect(response.status).toBe(201);
    }
    const all = await stack.api('GET', `/v1/vaults/${vaultId}/jobs?limit=500`);
    expect(all.body.items).toHaveLength(12);
    expect(all.body.nextCursor).toBeNull();
    expect(all.body.items.some((j: any) => j.workloadType === 'AzureWorkload' && j.trigger === 'Scheduled')).toBe(false);
    const order = all.body.items.map((j: any) => [j.startedAt, j.id]);
    expect(order).toEqual([...order].sort((a, b) => (a[0] === b[0] ? b[1].localeCompare(a[1]) : b[0].localeCompare(a[0]))));

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: ApiResponse = await stack.api('GET', `/v1/vaults/${vaultId}/jobs?limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.items.map((j: any) => j.id));
      cursor = page.body.nextCursor;
      pages++;
      // A job inserted with a newer start while paging must not shift later pages.
      if (pages === 1) await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, { ...kinds[0], entityName: 'late', startedAt: new Date(base + 60_000).toISOString() });
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(all.body.items.map((j: any) => j.id));

    const restores = await stack.api('GET', `/v1/vaults/${vaultId}/jobs?operation=Restore&workloadType=AzureFiles`);
    expect(restores.body.items.map((j: any) => j.id)).toEqual(['j11', 'j06', 'j01']);
    const windowed = await stack.api('GET', `/v1/vaults/${vaultId}/jobs?from=${new Date(base + 1000).toISOString()}&to=${new Date(base + 3000).toISOString()}`);
    expect(windowed.body.items.map((j: any) => j.id).sort()).toEqual(['j02', 'j03', 'j05']);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/jobs?status=Completed`)).body.items).toEqual([]);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/jobs?status=InProgress`)).body.items).toHaveLength(13);
  });

  it('filters jobs by entityName (§4), exactly, with the other filters', async () => {
    const vaultId = await createVault(stack);
    for (const [entityName, operation] of [['vm-01', 'Backup'], ['vm-01', 'Restore'], ['vm-02', 'Backup'], ['SQLDataBase;mssql;db/1', 'Backup']]) {
      expect((await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, job({ entityName, operation }))).status).toBe(201);
    }
    const names = async (query: string) =>
      (await stack.api('GET', `/v1/vaults/${vaultId}/jobs?${query}`)).body.items.map((j: any) => `${j.entityName}/${j.operation}`).sort();
    expect(await names('entityName=vm-01')).toEqual(['vm-01/Backup', 'vm-01/Restore']);
    expect(await names('entityName=vm-01&operation=Restore')).toEqual(['vm-01/Restore']);
    expect(await names(`entityName=${encodeURIComponent('SQLDataBase;mssql;db/1')}`)).toEqual(['SQLDataBase;mssql;db/1/Backup']);
    expect(await names('entityName=VM-01')).toEqual([]);
    expect(await names('entityName=vm-0')).toEqual([]);
    expectProblem(await stack.api('GET', `/v1/vaults/${vaultId}/jobs?entityName=a%00b`), 400);
  });

  it.each([
    ['limit=0'], ['limit=501'], ['limit=ten'], ['status=Done'], ['operation=Reboot'], ['workloadType=Tape'],
    ['from=yesterday'], ['cursor=not-a-cursor'],
  ])('refuses ?%s with a 400 problem', async (query) => {
    const vaultId = await createVault(stack);
    expectProblem(await stack.api('GET', `/v1/vaults/${vaultId}/jobs?${query}`), 400);
  });

  it('defaults to 50 items a page', async () => {
    const vaultId = await createVault(stack);
    await Promise.all(Array.from({ length: 55 }, (_, i) => stack.api('POST', `/v1/vaults/${vaultId}/jobs`, job({ entityName: `vm-${i}` }))));
    // 55 concurrent starts on a loaded machine may outlast the API's 3 s read-your-writes wait.
    await eventually(async () => (await stack.api('GET', `/v1/vaults/${vaultId}/jobs?limit=500`)).body.items.length === 55, 'all 55 jobs listed');
    const page = await stack.api('GET', `/v1/vaults/${vaultId}/jobs`);
    expect(page.body.items).toHaveLength(50);
    expect(page.body.nextCursor).toEqual(expect.any(String));
  });
});
