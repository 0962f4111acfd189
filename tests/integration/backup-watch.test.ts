// The missed-backup watch (§2.5) end to end, with second-level policies: real worker, real API,
// real Temporal timers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../support/jobs';
import { createVault, eventually, startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => { stack = await startStack({ readYourWritesMs: 500 }); });
afterAll(() => stack?.close());

const t = (value: unknown) => new Date(value as string).getTime();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const POLICY = { expectedEvery: '3s', grace: '1s' }; // due 4 s after the anchor
const ALLOWANCE = 4_000;

async function vaultWithPolicy(backupPolicy: unknown = POLICY) {
  const vaultId = await createVault(stack);
  expect((await stack.api('PUT', `/v1/vaults/${vaultId}`, { contacts: { owners: [], admins: [], coAdmins: [] }, backupPolicy })).status).toBe(200);
  return vaultId;
}

const missedOf = (vaultId: string, entity?: string) => stack.sql`
  select * from alerts where vault_id = ${vaultId} and scenario = 'BackupMissed'
  ${entity ? stack.sql`and entity_name = ${entity}` : stack.sql``} order by raised_at`;
const itemRow = async (vaultId: string, entity: string) =>
  (await stack.sql`select * from items where vault_id = ${vaultId} and entity_name = ${entity}`)[0]!;

describe('BackupMissed', () => {
  it('is raised once after expectedEvery + grace, names the last backup and the policy, and not again while open', async () => {
    const vaultId = await vaultWithPolicy();
    const jobId = await runJob(stack, vaultId, { entityName: 'vm-miss', outcome: { status: 'Completed' } });
    const lastSuccess = t((await itemRow(vaultId, 'vm-miss')).last_successful_backup_at);
    const [alert] = await eventually(async () => { const a = await missedOf(vaultId); return a.length ? a : null; }, 'BackupMissed', 15_000);
    expect(alert).toMatchObject({
      severity: 'Critical', status: 'Active', workload_type: 'AzureVM', entity_name: 'vm-miss', error_code: 'NoRecentBackup',
      job_id: jobId, latest_job_id: jobId, occurrences: 1, suppressed: false,
      consolidation_key: JSON.stringify([vaultId, 'BackupMissed', 'AzureVM', 'vm-miss']),
    });
    expect(alert!.error_message).toContain(new Date(lastSuccess).toISOString());
    expect(alert!.error_message).toContain('every 3s with 1s grace');
    // Exactly at its deadline (not before), and promptly.
    const lateness = t(alert!.raised_at) - (lastSuccess + ALLOWANCE);
    expect(lateness).toBeGreaterThanOrEqual(0);
    expect(lateness).toBeLessThan(3_000);
    const history = await stack.sql`select action, by from alert_history where alert_id = ${alert!.id}`;
    expect(history).toEqual([{ action: 'Raised', by: 'system' }]);
    // The item counts it; the API shows it (read through the contract).
    const item = (await stack.api('GET', `/v1/vaults/${vaultId}/items/AzureVM/vm-miss`)).body;
    expect(item).toMatchObject({ health: 'Critical', openAlerts: { Critical: 1 } });

    await sleep(2 * ALLOWANCE + 500); // two more allowances: still one alert
    expect(await missedOf(vaultId)).toHaveLength(1);

    // Inactivated by a user: the watch re-arms from that moment, and raises a new one a full allowance later.
    expect((await stack.api('POST', `/v1/vaults/${vaultId}/alerts/${alert!.id}/inactivate`)).status).toBe(202);
    const inactivatedAt = t((await stack.sql`select inactivated_at from alerts where id = ${alert!.id}`)[0]!.inactivated_at);
    expect(t((await itemRow(vaultId, 'vm-miss')).last_missed_inactivated_at)).toBe(inactivatedAt);
    const second = await eventually(async () => { const a = await missedOf(vaultId); return a.length === 2 ? a[1] : null; }, 'a second BackupMissed', 20_000);
    expect(t(second.raised_at)).toBeGreaterThanOrEqual(inactivatedAt + ALLOWANCE);
    expect(t(second.raised_at)).toBeLessThan(inactivatedAt + ALLOWANCE + 3_000);
  }, 60_000);

  it('successful backups keep it away; after a miss, the next success restarts the watch', async () => {
    const vaultId = await vaultWithPolicy();
    await runJob(stack, vaultId, { entityName: 'vm-ok', outcome: { status: 'Completed' } });
    for (let i = 0; i < 3; i++) {
      await sleep(2_000);
      await runJob(stack, vaultId, { entityName: 'vm-ok', outcome: { status: i === 1 ? 'CompletedWithWarnings' : 'Completed' } });
    }
    expect(await missedOf(vaultId)).toHaveLength(0);

    const [alert] = await eventually(async () => { const a = await missedOf(vaultId); return a.length ? a : null; }, 'BackupMissed after the backups stop', 15_000);
    const success = await runJob(stack, vaultId, { entityName: 'vm-ok', outcome: { status: 'Completed' } });
    const row = await itemRow(vaultId, 'vm-ok');
    expect(row.last_backup_job_id).toBe(success);
    const ended = t(row.last_successful_backup_at);
    // The watch counts from the success again (auto-resolve itself is the lifecycle work's resolver).
    expect(t(row.deadline_at)).toBeGreaterThanOrEqual(ended + ALLOWANCE);
    // The success resolves the missed backup (§2.4, BackupMissed resolves on a successful Backup).
    const resolved = (await stack.sql`select status, resolution, resolved_by_job_id, inactivated_by from alerts where id = ${alert!.id}`)[0]!;
    expect(resolved).toEqual({ status: 'Inactive', resolution: 'AutoResolved', resolved_by_job_id: success, inactivated_by: 'system' });
  }, 60_000);

  it('emails its recipients once, through the same routing as every alert', async () => {
    const vaultId = await vaultWithPolicy();
    const settings = { enabled: true, recipients: ['watch-ops@contoso.com'], frequency: 'PerAlert' };
    expect((await stack.api('PUT', `/v1/vaults/${vaultId}/notification-settings`, settings)).status).toBe(200);
    await runJob(stack, vaultId, { entityName: 'vm-mail', outcome: { status: 'Completed' } });
    const [alert] = await eventually(async () => { const a = await missedOf(vaultId); return a.length ? a : null; }, 'BackupMissed', 15_000);
    const mailsOf = () => stack.resend.deliveries.filter((d) => d.to.includes('watch-ops@contoso.com') && (d.text ?? '').includes(alert!.id));
    await eventually(async () => mailsOf().length > 0, 'the BackupMissed email', 15_000);
    await sleep(ALLOWANCE); // the alert stays open through another allowance: still one email
    expect(mailsOf()).toHaveLength(1);
    expect(mailsOf()[0]!.subject).toContain('BackupMissed');
  }, 60_000);

  it('a failed backup does not count as a backup', async () => {
    const vaultId = await vaultWithPolicy();
    await runJob(stack, vaultId, { entityName: 'vm-failing', outcome: { status: 'Completed' } });
    await sleep(1_500);
    await runJob(stack, vaultId, { entityName: 'vm-failing', outcome: { status: 'Failed', errorCode: 'UserErrorDiskFull' } });
    const lastSuccess = t((await itemRow(vaultId, 'vm-failing')).last_successful_backup_at);
    const [alert] = await eventually(async () => { const a = await missedOf(vaultId); return a.length ? a : null; }, 'BackupMissed', 15_000);
    expect(t(alert!.raised_at)).toBeGreaterThanOrEqual(lastSuccess + ALLOWANCE);
  }, 60_000);

  it('none for a Stopped item; resuming protection restarts the watch from then', async () => {
    const vaultId = await vaultWithPolicy();
    await runJob(stack, vaultId, { entityName: 'vm-stop', outcome: { status: 'Completed' } });
    await runJob(stack, vaultId, { entityName: 'vm-stop', operation: 'StopProtectionRetainData', trigger: 'User', outcome: { status: 'Completed' } });
    expect((await itemRow(vaultId, 'vm-stop'))).toMatchObject({ protection: 'Stopped', deadline_at: null });
    await sleep(ALLOWANCE + 2_000);
    expect(await missedOf(vaultId)).toHaveLength(0);

    await runJob(stack, vaultId, { entityName: 'vm-stop', operation: 'ConfigureBackup', trigger: 'User', outcome: { status: 'Completed' } });
    const row = await itemRow(vaultId, 'vm-stop');
    expect(row.protection).toBe('Protected');
    const [alert] = await eventually(async () => { const a = await missedOf(vaultId); return a.length ? a : null; }, 'BackupMissed after resuming', 15_000);
    expect(t(alert!.raised_at)).toBeGreaterThanOrEqual(t(row.policy_since) + ALLOWANCE);
  }, 60_000);

  it('none for an opted-out item; the vault default and an item override each arm it', async () => {
    const vaultId = await vaultWithPolicy(null);
    await runJob(stack, vaultId, { entityName: 'vm-out', outcome: { status: 'Completed' } });
    await runJob(stack, vaultId, { entityName: 'vm-own', outcome: { status: 'Completed' } });
    await runJob(stack, vaultId, { entityName: 'vm-default', outcome: { status: 'Completed' } });
    expect((await stack.api('PUT', `/v1/vaults/${vaultId}/items/AzureVM/vm-out/policy`, { disabled: true })).status).toBe(200);
    expect((await stack.api('PUT', `/v1/vaults/${vaultId}/items/AzureVM/vm-own/policy`, { expectedEvery: '2s', grace: '1s' })).status).toBe(200);
    const own = await eventually(async () => (await missedOf(vaultId, 'vm-own'))[0], 'the override to raise', 15_000);
    expect(own.error_message).toContain("item's own policy");
    expect(await missedOf(vaultId, 'vm-default')).toHaveLength(0);

    const before = Date.now();
    await stack.api('PUT', `/v1/vaults/${vaultId}`, { contacts: { owners: [], admins: [], coAdmins: [] }, backupPolicy: { expectedEvery: '2s', grace: '1s' } });
    const viaDefault = await eventually(async () => (await missedOf(vaultId, 'vm-default'))[0], 'the vault default to raise', 15_000);
    expect(t(viaDefault.raised_at)).toBeGreaterThanOrEqual(before + 3_000 - 50);
    await sleep(2_000);
    expect(await missedOf(vaultId, 'vm-out')).toHaveLength(0);
    expect(await missedOf(vaultId)).toHaveLength(2);
  }, 60_000);

  it('the watch shows its next deadline in the Temporal UI and records it', async () => {
    const vaultId = await vaultWithPolicy({ expectedEvery: '1h', grace: '1h' });
    await runJob(stack, vaultId, { entityName: 'vm-ui', outcome: { status: 'Completed' } });
    // A shorter policy moves the deadline earlier: the watch is woken and sleeps until exactly it.
    await stack.api('PUT', `/v1/vaults/${vaultId}/items/AzureVM/vm-ui/policy`, { expectedEvery: '30m', grace: '5m' });
    const deadline = new Date(t((await itemRow(vaultId, 'vm-ui')).deadline_at)).toISOString();
    const handle = stack.client.workflow.getHandle(`backup-watch/${vaultId}`);
    await eventually(async () => {
      const [watch] = await stack.sql`select wake_at from backup_watches where vault_id = ${vaultId}`;
      return watch?.wake_at && new Date(watch.wake_at).toISOString() === deadline;
    }, 'the watch to arm');
    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');
    const meta = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(meta.currentDetails).toContain(deadline);
  }, 30_000);

  it('continues as new with nothing to carry, and keeps raising', async () => {
    const vaultId = await createVault(stack); // no policy yet: no watch
    const first = await stack.client.workflow.start('backupWatch', {
      workflowId: `backup-watch/${vaultId}`, taskQueue: stack.taskQueue, args: [{ vaultId, maxHistoryEvents: 30 }],
    });
    await stack.api('PUT', `/v1/vaults/${vaultId}`, { contacts: { owners: [], admins: [], coAdmins: [] }, backupPolicy: { expectedEvery: '1s', grace: '1s' } });
    for (const name of ['vm-can-1', 'vm-can-2', 'vm-can-3']) await runJob(stack, vaultId, { entityName: name, outcome: { status: 'Completed' } });
    await eventually(async () => (await missedOf(vaultId)).length === 3, 'three BackupMissed', 20_000);
    const handle = stack.client.workflow.getHandle(`backup-watch/${vaultId}`, first.firstExecutionRunId);
    await eventually(async () => (await handle.describe()).status.name === 'CONTINUED_AS_NEW', 'the first run to continue as new', 20_000);
    const latest = await stack.client.workflow.getHandle(`backup-watch/${vaultId}`).describe();
    expect(latest.status.name).toBe('RUNNING');
    expect(latest.runId).not.toBe(first.firstExecutionRunId);
    expect(await missedOf(vaultId)).toHaveLength(3);
  }, 60_000);
});
