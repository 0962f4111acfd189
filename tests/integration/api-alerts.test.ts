import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVault, eventually, startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(() => stack?.close());

interface Case {
  workloadType: string; operation: string; trigger?: string; outcome: 'cancel' | { status: string; errorCode?: string };
  expected: { scenario: string; severity: string } | null;
}

const cases: [string, Case][] = [
  ['AzureVM backup failed', { workloadType: 'AzureVM', operation: 'Backup', outcome: { status: 'Failed', errorCode: 'UserErrorDiskFull' }, expected: { scenario: 'BackupFailure', severity: 'Critical' } }],
  ['user-triggered MAB backup failed', { workloadType: 'MAB', operation: 'Backup', trigger: 'User', outcome: { status: 'Failed' }, expected: { scenario: 'BackupFailure', severity: 'Critical' } }],
  ['AzureFiles restore failed', { workloadType: 'AzureFiles', operation: 'Restore', trigger: 'User', outcome: { status: 'Failed', errorCode: 'X' }, expected: { scenario: 'RestoreFailure', severity: 'Critical' } }],
  ['MAB backup with warnings', { workloadType: 'MAB', operation: 'Backup', outcome: { status: 'CompletedWithWarnings' }, expected: { scenario: 'BackupSucceededWithWarnings', severity: 'Warning' } }],
  ['stop protection, retain data', { workloadType: 'AzureVM', operation: 'StopProtectionRetainData', trigger: 'User', outcome: { status: 'Completed' }, expected: { scenario: 'StopProtectionRetainData', severity: 'Warning' } }],
  ['stop protection, delete data', { workloadType: 'AzureFiles', operation: 'StopProtectionDeleteData', trigger: 'User', outcome: { status: 'Completed' }, expected: { scenario: 'StopProtectionDeleteData', severity: 'Critical' } }],
  ['delete backup data', { workloadType: 'MAB', operation: 'DeleteBackupData', trigger: 'User', outcome: { status: 'Completed' }, expected: { scenario: 'DeleteBackupData', severity: 'Critical' } }],
  ['cancelled by the user', { workloadType: 'AzureVM', operation: 'Backup', outcome: 'cancel', expected: null }],
  ['another backup in progress (user error)', { workloadType: 'AzureVM', operation: 'Backup', outcome: { status: 'Failed', errorCode: 'UserErrorBackupOperationInProgress' }, expected: null }],
  ['another backup in progress (system)', { workloadType: 'AzureFiles', operation: 'Backup', outcome: { status: 'Failed', errorCode: 'SystemBackupOperationInProgress' }, expected: null }],
  ['the VM no longer exists', { workloadType: 'AzureVM', operation: 'Backup', outcome: { status: 'Failed', errorCode: 'UserErrorVmNotFoundV2' }, expected: null }],
  ['AzureVM backup with warnings', { workloadType: 'AzureVM', operation: 'Backup', outcome: { status: 'CompletedWithWarnings' }, expected: null }],
  ['configure backup failed', { workloadType: 'AzureVM', operation: 'ConfigureBackup', trigger: 'User', outcome: { status: 'Failed' }, expected: null }],
  ['backup completed', { workloadType: 'AzureWorkload', operation: 'Backup', trigger: 'User', outcome: { status: 'Completed' }, expected: null }],
];

async function runJob(vaultId: string, c: Omit<Case, 'expected'>, entityName = 'item-1') {
  const started = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, {
    workloadType: c.workloadType, operation: c.operation, trigger: c.trigger ?? 'Scheduled', entityName,
  });
  expect(started.status).toBe(201);
  const id = started.body.id as string;
  const ended = c.outcome === 'cancel'
    ? await stack.api('POST', `/v1/vaults/${vaultId}/jobs/${id}/cancel`)
    : await stack.api('POST', `/v1/vaults/${vaultId}/jobs/${id}/complete`, { ...c.outcome, errorMessage: c.outcome.errorCode ? `failed: ${c.outcome.errorCode}` : undefined });
  expect(ended.status).toBe(202);
  await stack.client.workflow.getHandle(`backup-job/${vaultId}/${id}`).result();
  return id;
}

describe('alerts raised by jobs driven over HTTP (§2.2)', () => {
  it.each(cases)('%s', async (_, c) => {
    const vaultId = await createVault(stack);
    const jobId = await runJob(vaultId, c);
    const list = await stack.api('GET', `/v1/vaults/${vaultId}/alerts`);
    if (!c.expected) {
      expect(list.body).toEqual({ items: [], nextCursor: null });
      return;
    }
    expect(list.body.items).toHaveLength(1);
    const alert = list.body.items[0];
    const job = (await stack.api('GET', `/v1/vaults/${vaultId}/jobs/${jobId}`)).body;
    expect(alert).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/), vaultId, ...c.expected, status: 'Active', workloadType: c.workloadType,
      entityName: 'item-1', jobId, latestJobId: jobId, occurrences: 1, errorCode: job.errorCode, errorMessage: job.errorMessage,
      raisedAt: job.endedAt, lastOccurredAt: job.endedAt, acknowledgedAt: null, acknowledgedBy: null, inactivatedAt: null, inactivatedBy: null,
      resolution: null, resolvedByJobId: null, suppressed: false,
    });
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/alerts/${alert.id}`)).body).toEqual(alert);
  });
});

describe('consolidation, inactivation and queries', () => {
  const sqlLogFailure = { workloadType: 'AzureWorkload', operation: 'Backup', outcome: { status: 'Failed', errorCode: 'UserErrorSqlLogFull' } } as const;

  it('consolidates scheduled AzureWorkload failures until the alert is inactivated', async () => {
    const vaultId = await createVault(stack);
    const first = await runJob(vaultId, sqlLogFailure, 'sql-01/db');
    const second = await runJob(vaultId, sqlLogFailure, 'sql-01/db');
    let items = (await stack.api('GET', `/v1/vaults/${vaultId}/alerts`)).body.items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ occurrences: 2, jobId: first, latestJobId: second, status: 'Active' });

    const started = Date.now();
    const inactivated = await stack.api('POST', `/v1/vaults/${vaultId}/alerts/${items[0].id}/inactivate`);
    expect(inactivated).toMatchObject({ status: 202, body: { id: items[0].id, status: 'Inactive' } });
    const read = await stack.api('GET', `/v1/vaults/${vaultId}/alerts/${items[0].id}`);
    const lagMs = Date.now() - started;
    console.info(`inactivate → reads Inactive: ${lagMs} ms`);
    expect(read.body).toMatchObject({ status: 'Inactive', inactivatedBy: 'admin', inactivatedAt: expect.any(String), resolution: 'Manual' });
    expect((await stack.api('POST', `/v1/vaults/${vaultId}/alerts/${items[0].id}/inactivate`)).status).toBe(202);

    const third = await runJob(vaultId, sqlLogFailure, 'sql-01/db');
    items = (await stack.api('GET', `/v1/vaults/${vaultId}/alerts`)).body.items;
    expect(items.map((a: any) => [a.status, a.occurrences, a.jobId])).toEqual([['Active', 1, third], ['Inactive', 2, first]]);
  });

  it('summarises open alerts (Active and Acknowledged) by severity and filters the list', async () => {
    const vaultId = await createVault(stack);
    await runJob(vaultId, cases[0]![1]);
    await runJob(vaultId, cases[3]![1]);
    await runJob(vaultId, cases[6]![1]);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/alerts/summary`)).body).toEqual({ active: { Critical: 2, Warning: 1, Informational: 0 } });
    const critical = (await stack.api('GET', `/v1/vaults/${vaultId}/alerts?severity=Critical`)).body.items;
    expect(critical.map((a: any) => a.scenario).sort()).toEqual(['BackupFailure', 'DeleteBackupData']);
    // Acknowledged stays open: still counted.
    expect((await stack.api('POST', `/v1/vaults/${vaultId}/alerts/${critical[1].id}/acknowledge`)).body).toEqual({ id: critical[1].id, status: 'Acknowledged' });
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/alerts/summary`)).body.active.Critical).toBe(2);
    await stack.api('POST', `/v1/vaults/${vaultId}/alerts/${critical[0].id}/inactivate`);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/alerts/summary`)).body.active.Critical).toBe(1);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/alerts?status=Inactive`)).body.items).toHaveLength(1);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/alerts?status=Acknowledged`)).body.items.map((a: any) => a.id)).toEqual([critical[1].id]);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/alerts?status=Active`)).body.items).toHaveLength(1);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/alerts?status=Open`)).body.items).toHaveLength(2);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/alerts?scenario=BackupSucceededWithWarnings`)).body.items).toHaveLength(1);
    const page1 = (await stack.api('GET', `/v1/vaults/${vaultId}/alerts?limit=2`)).body;
    const page2 = (await stack.api('GET', `/v1/vaults/${vaultId}/alerts?limit=2&cursor=${page1.nextCursor}`)).body;
    expect(page1.items).toHaveLength(2);
    expect(page2).toMatchObject({ items: [expect.any(Object)], nextCursor: null });
    const all = [...page1.items, ...page2.items];
    expect(all.map((a: any) => a.raisedAt)).toEqual(all.map((a: any) => a.raisedAt).sort().reverse());
    const future = (await stack.api('GET', `/v1/vaults/${vaultId}/alerts?from=${new Date(Date.now() + 60_000).toISOString()}`)).body;
    expect(future.items).toEqual([]);
  });

  it('filters alerts by entityName (§4), exactly, with the other filters', async () => {
    const vaultId = await createVault(stack);
    await runJob(vaultId, cases[0]![1], 'vm-01');
    await runJob(vaultId, cases[2]![1], 'vm-01');
    await runJob(vaultId, cases[0]![1], 'vm-02');
    const names = async (query: string) =>
      (await stack.api('GET', `/v1/vaults/${vaultId}/alerts?${query}`)).body.items.map((a: any) => `${a.entityName}/${a.scenario}`).sort();
    expect(await names('entityName=vm-01')).toEqual(['vm-01/BackupFailure', 'vm-01/RestoreFailure']);
    expect(await names('entityName=vm-01&scenario=RestoreFailure')).toEqual(['vm-01/RestoreFailure']);
    expect(await names('entityName=vm-02')).toEqual(['vm-02/BackupFailure']);
    expect(await names('entityName=vm')).toEqual([]);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/alerts?entityName=a%00b`)).status).toBe(400);
  });

  it('answers problems for unknown vaults and alerts and bad queries', async () => {
    const vaultId = await createVault(stack);
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const [method, path, status] of [
      ['GET', `/v1/vaults/${vaultId}/alerts/${missing}`, 404],
      ['POST', `/v1/vaults/${vaultId}/alerts/${missing}/inactivate`, 404],
      ['POST', `/v1/vaults/${vaultId}/alerts/${missing}/acknowledge`, 404],
      ['GET', `/v1/vaults/${vaultId}/alerts/${missing}/history`, 404],
      ['GET', `/v1/vaults/${vaultId}/alerts/not-a-uuid`, 404],
      ['GET', `/v1/vaults/nope-${vaultId}/alerts`, 404],
      ['GET', `/v1/vaults/nope-${vaultId}/alerts/summary`, 404],
      ['GET', `/v1/vaults/${vaultId}/alerts?severity=Huge`, 400],
      ['GET', `/v1/vaults/${vaultId}/alerts?status=Gone`, 400],
      ['GET', `/v1/vaults/${vaultId}/alerts?limit=9999`, 400],
    ] as const) {
      const response = await stack.api(method, path);
      expect(response.status, `${method} ${path}`).toBe(status);
      expect(response.contentType).toContain('application/problem+json');
    }
  });

  it('lets operators find alerted jobs by AlertSeverity in Temporal', async () => {
    const vaultId = await createVault(stack);
    const jobId = await runJob(vaultId, cases[0]![1]);
    await eventually(async () => {
      const ids: string[] = [];
      for await (const run of stack.client.workflow.list({ query: `VaultId = "${vaultId}" AND AlertSeverity = "Critical"` })) ids.push(run.workflowId);
      return ids.includes(`backup-job/${vaultId}/${jobId}`);
    }, 'AlertSeverity in visibility');
  });
});
