// The missed-backup watch survives a SIGKILLed worker in the middle of its wait: the timer is
// Temporal's, so the next worker raises the alert on time, once.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../support/jobs';
import { createVault, eventually, startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => { stack = await startStack({ inProcessWorker: false, readYourWritesMs: 500 }); });
afterAll(() => stack?.close());

const t = (value: unknown) => new Date(value as string).getTime();
const kill = async (child: ChildProcess) => {
  child.kill('SIGKILL');
  await eventually(async () => child.exitCode !== null || child.signalCode !== null, 'worker to die');
};

describe('worker killed while the watch waits', () => {
  it('one BackupMissed at the deadline, none before, none twice', async () => {
    const first = await stack.spawnWorker();
    const vaultId = await createVault(stack);
    // Long enough for a second worker process to start (it bundles its workflows) before the deadline.
    await stack.api('PUT', `/v1/vaults/${vaultId}`, { contacts: { owners: [], admins: [], coAdmins: [] }, backupPolicy: { expectedEvery: '35s', grace: '5s' } });
    await runJob(stack, vaultId, { entityName: 'vm-crash', outcome: { status: 'Completed' } });
    await runJob(stack, vaultId, { entityName: 'vm-crash-2', outcome: { status: 'Completed' } });
    const deadlines = (await stack.sql`select entity_name, deadline_at from items where vault_id = ${vaultId} order by entity_name`).map((r) => t(r.deadline_at));
    await eventually(async () => {
      const [watch] = await stack.sql`select wake_at from backup_watches where vault_id = ${vaultId}`;
      return watch?.wake_at && t(watch.wake_at) <= Math.min(...deadlines);
    }, 'the watch to arm', 20_000);

    await kill(first); // mid-wait: the timer lives in Temporal, not in the process
    await stack.spawnWorker();
    expect(Date.now()).toBeLessThan(Math.min(...deadlines)); // the kill and restart happened inside the wait
    const alerts = await eventually(async () => {
      const rows = await stack.sql`select * from alerts where vault_id = ${vaultId} and scenario = 'BackupMissed' order by entity_name`;
      return rows.length === 2 ? rows : null;
    }, 'both BackupMissed alerts', 90_000);
    for (const [i, alert] of alerts.entries()) {
      const lateness = t(alert.raised_at) - deadlines[i]!;
      expect(lateness).toBeGreaterThanOrEqual(0);
      expect(lateness).toBeLessThan(5_000);
    }
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await stack.sql`select count(*)::int as n from alerts where vault_id = ${vaultId} and scenario = 'BackupMissed'`)[0]!.n).toBe(2);
  }, 180_000);

  it('a watch lost with Temporal\'s data (terminated) is back at the next worker start, and raises on time', async () => {
    const worker = await stack.spawnWorker();
    const vaultId = await createVault(stack);
    await stack.api('PUT', `/v1/vaults/${vaultId}`, { contacts: { owners: [], admins: [], coAdmins: [] }, backupPolicy: { expectedEvery: '35s', grace: '5s' } });
    await runJob(stack, vaultId, { entityName: 'vm-lost', outcome: { status: 'Completed' } });
    const deadline = t((await stack.sql`select deadline_at from items where vault_id = ${vaultId}`)[0]!.deadline_at);
    const handle = stack.client.workflow.getHandle(`backup-watch/${vaultId}`);
    await eventually(async () => (await stack.sql`select wake_at from backup_watches where vault_id = ${vaultId}`)[0]?.wake_at, 'the watch to arm', 20_000);
    await handle.terminate('simulating lost Temporal state');
    await kill(worker);
    await stack.spawnWorker();
    await eventually(async () => (await handle.describe()).status.name === 'RUNNING', 'the watch to run again', 30_000);
    const [alert] = await eventually(async () => {
      const rows = await stack.sql`select raised_at from alerts where vault_id = ${vaultId} and scenario = 'BackupMissed'`;
      return rows.length ? rows : null;
    }, 'BackupMissed', 90_000);
    expect(t(alert!.raised_at)).toBeGreaterThanOrEqual(deadline);
    expect(t(alert!.raised_at) - deadline).toBeLessThan(5_000);
  }, 180_000);
});
