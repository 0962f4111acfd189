import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobsClient } from '../../client/jobs-client';
import { jobWorkflowId } from '../../workflows/definitions';
import { findJob } from '../../readmodel/jobs';
import { eventually, startStack, uniqueVaultId, type Stack } from '../support/stack';

const TIMEOUT_MS = 2_000;
let stack: Stack;
let jobsClient: ReturnType<typeof createJobsClient>;

beforeAll(async () => {
  stack = await startStack({ jobTimeoutMs: TIMEOUT_MS });
  jobsClient = createJobsClient({ client: stack.client, taskQueue: stack.taskQueue, jobTimeoutMs: TIMEOUT_MS });
});
afterAll(() => stack?.close());

const backup = (vaultId: string, jobId?: string) => ({
  vaultId, jobId, workloadType: 'AzureVM' as const, operation: 'Backup' as const, trigger: 'User' as const, entityName: 'vm-01',
});

describe('backupJob workflow on the dev server', () => {
  it('records the job, then its completion with duration and error', async () => {
    const vaultId = uniqueVaultId();
    const { created, job } = await jobsClient.startJob(backup(vaultId));
    expect(created).toBe(true);
    await eventually(() => findJob(stack.db, vaultId, job.id), 'job row');
    await jobsClient.completeJob(vaultId, job.id, { status: 'CompletedWithWarnings', warnings: ['slow disk'] });
    await jobsClient.waitForEnd(vaultId, job.id);
    const stored = await findJob(stack.db, vaultId, job.id);
    expect(stored).toMatchObject({ status: 'CompletedWithWarnings', warnings: ['slow disk'], errorCode: null });
    expect(stored!.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(stored!.endedAt!)).toBeGreaterThanOrEqual(Date.parse(stored!.startedAt));
  });

  it('ends Cancelled on cancel and ignores a later completion', async () => {
    const vaultId = uniqueVaultId();
    const { job } = await jobsClient.startJob(backup(vaultId));
    await jobsClient.cancelJob(vaultId, job.id);
    await jobsClient.waitForEnd(vaultId, job.id);
    expect((await findJob(stack.db, vaultId, job.id))?.status).toBe('Cancelled');
    // The workflow is closed: a second outcome cannot even be delivered.
    await expect(jobsClient.completeJob(vaultId, job.id, { status: 'Completed' })).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect((await findJob(stack.db, vaultId, job.id))?.status).toBe('Cancelled');
  });

  it('keeps the first outcome when two arrive together', async () => {
    const vaultId = uniqueVaultId();
    const { job } = await jobsClient.startJob(backup(vaultId));
    await Promise.all([
      jobsClient.completeJob(vaultId, job.id, { status: 'Completed' }),
      jobsClient.completeJob(vaultId, job.id, { status: 'Failed', errorCode: 'Late' }),
    ]).catch(() => {});
    await jobsClient.waitForEnd(vaultId, job.id);
    const stored = await findJob(stack.db, vaultId, job.id);
    expect(['Completed', 'Failed']).toContain(stored?.status);
    const history = await stack.client.workflow.getHandle(jobWorkflowId(vaultId, job.id)).fetchHistory();
    // The writes are local activities: each one leaves a marker naming its activity type.
    const finishes = history.events!.filter((e) => Object.values(e.markerRecordedEventAttributes?.details ?? {})
      .some((p) => p.payloads?.some((payload) => Buffer.from(payload.data ?? []).toString().includes('recordJobFinished'))));
    expect(finishes).toHaveLength(1);
  });

  it('times out after JOB_TIMEOUT counted from the start: Failed with JobTimedOut', async () => {
    const vaultId = uniqueVaultId();
    const { job } = await jobsClient.startJob(backup(vaultId));
    await jobsClient.waitForEnd(vaultId, job.id);
    const stored = await findJob(stack.db, vaultId, job.id);
    expect(stored).toMatchObject({ status: 'Failed', errorCode: 'JobTimedOut', durationMs: TIMEOUT_MS });
  });

  it('times out at once when the reported start is older than the timeout', async () => {
    const vaultId = uniqueVaultId();
    const startedAt = new Date(Date.now() - 10 * TIMEOUT_MS);
    const { job } = await jobsClient.startJob({ ...backup(vaultId), startedAt });
    await jobsClient.waitForEnd(vaultId, job.id);
    expect(await findJob(stack.db, vaultId, job.id)).toMatchObject({
      status: 'Failed', errorCode: 'JobTimedOut', endedAt: new Date(startedAt.getTime() + TIMEOUT_MS).toISOString(),
    });
  });

  it('gives the same job for a duplicate start, never a second one', async () => {
    const vaultId = uniqueVaultId();
    const first = await jobsClient.startJob(backup(vaultId, 'dup-1'));
    const second = await jobsClient.startJob({ ...backup(vaultId, 'dup-1'), entityName: 'other' });
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.job).toMatchObject({ id: 'dup-1', entityName: 'vm-01', startedAt: first.job.startedAt });
    const runs = [];
    for await (const run of stack.client.workflow.list({ query: `WorkflowId = "${jobWorkflowId(vaultId, 'dup-1')}"` })) runs.push(run);
    expect(runs).toHaveLength(1);
  });

  it('keeps VaultId, WorkloadType, JobOperation, JobStatus and AlertSeverity searchable', async () => {
    const vaultId = uniqueVaultId();
    const { job } = await jobsClient.startJob(backup(vaultId));
    await jobsClient.completeJob(vaultId, job.id, { status: 'Failed', errorCode: 'UserErrorDiskFull' });
    await jobsClient.waitForEnd(vaultId, job.id);
    const query = `VaultId = "${vaultId}" AND JobStatus = "Failed" AND WorkloadType = "AzureVM" AND JobOperation = "Backup" AND AlertSeverity = "Critical"`;
    const found = await eventually(async () => {
      const runs = [];
      for await (const run of stack.client.workflow.list({ query })) runs.push(run);
      return runs.length > 0 ? runs : null;
    }, 'visibility to index the search attributes');
    expect(found.map((r) => r.workflowId)).toEqual([jobWorkflowId(vaultId, job.id)]);
    // Operators read the outcome in the UI without opening the input: the workflow's current details.
    const metadata = await stack.client.workflow.getHandle(jobWorkflowId(vaultId, job.id)).query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toMatch(/\*\*Failed\*\* `UserErrorDiskFull`.*raised alert .* \(Critical BackupFailure\)/);
  });
});
