// §2.5 with §8: a backup whose success the API accepted while no worker ran is not a missed backup,
// even when the watch looks before any worker has recorded that success (found by the fault suite:
// the watch fired on a worker's return, then the job's own recording resolved it, both notified).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackupWatchActivities } from '../../activities/backup-watch';
import { runJob } from '../support/jobs';
import { createVault, startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(() => stack?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Long enough that the worker stops well before either item is due, even on a loaded CI machine.
const ALLOWANCE_MS = 10_000; // 8 s + 2 s

describe('the missed-backup watch and outcomes accepted while workers are down', () => {
  it('counts an accepted, unrecorded success: no BackupMissed, the deadline moves past it', async () => {
    const vaultId = await createVault(stack);
    const contacts = { owners: [], admins: [], coAdmins: [] };
    expect((await stack.api('PUT', `/v1/vaults/${vaultId}`, { contacts, backupPolicy: { expectedEvery: '8s', grace: '2s' } })).status).toBe(200);
    await runJob(stack, vaultId, { entityName: 'vm-away', outcome: { status: 'Completed' } });
    await runJob(stack, vaultId, { entityName: 'vm-idle', outcome: { status: 'Completed' } });

    await stack.stopWorker();
    expect(await stack.sql`select 1 from alerts where vault_id = ${vaultId}`).toHaveLength(0);
    await sleep(ALLOWANCE_MS + 500); // both items are past their recorded deadline now
    const started = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, {
      workloadType: 'AzureVM', operation: 'Backup', trigger: 'Scheduled', entityName: 'vm-away',
    });
    expect(started.status).toBe(201);
    const completed = await stack.api('POST', `/v1/vaults/${vaultId}/jobs/${started.body.id}/complete`, { status: 'Completed' });
    expect(completed.status).toBe(202);
    const acceptedAt = Date.now();

    const watch = createBackupWatchActivities({ db: stack.db, client: stack.client, taskQueue: stack.taskQueue });
    const sweep = await watch.sweepBackupWatch({ vaultId });
    const missed = await stack.sql`select entity_name from alerts where vault_id = ${vaultId} and scenario = 'BackupMissed'`;
    // vm-idle really missed its backup; vm-away's (late, but within an allowance) success is accepted
    // and only waits for a worker to record it.
    expect(missed.map((row) => row.entity_name)).toEqual(['vm-idle']);
    expect(sweep.raised).toBe(1);
    const [item] = await stack.sql`select deadline_at from items where vault_id = ${vaultId} and entity_name = 'vm-away'`;
    expect(new Date(item!.deadline_at).getTime()).toBeGreaterThanOrEqual(acceptedAt - 1_000 + ALLOWANCE_MS);
    await stack.startWorker();
  });
});
