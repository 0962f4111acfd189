// §8 "a job's outcome is decided once" and §4 bounds: each case here failed on the previous API
// (see docs/notes/reliability.md for the defect each one pins down).
import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobsClient } from '../../client/jobs-client';
import { alertsOf } from '../support/jobs';
import { createVault, eventually, startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(() => stack?.close());

const DAY = 86_400_000;
const job = (over: Record<string, unknown> = {}) => ({ workloadType: 'AzureVM', operation: 'Backup', trigger: 'User', entityName: 'vm-01', ...over });
const handle = (vaultId: string, jobId: string) => stack.client.workflow.getHandle(`backup-job/${vaultId}/${jobId}`);
const rowOf = async (vaultId: string, jobId: string) => (await stack.sql`select * from jobs where vault_id = ${vaultId} and id = ${jobId}`)[0];
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('startedAt window and timestamp bounds', () => {
  it.each([
    ['year 0000', '0000-01-01T00:00:00Z'],
    ['more than 30 days ago', new Date(Date.now() - 30 * DAY - 60_000).toISOString()],
    ['more than 5 minutes ahead', new Date(Date.now() + 6 * 60_000).toISOString()],
    ['year 9999', '9999-12-31T00:00:00Z'],
  ])('refuses a startedAt %s with a 400 and writes nothing', async (_, startedAt) => {
    const vaultId = await createVault(stack);
    const response = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, job({ jobId: 'j1', startedAt }));
    expect(response.status).toBe(400);
    expect(await rowOf(vaultId, 'j1')).toBeUndefined();
    await expect(handle(vaultId, 'j1').describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('refuses NUL characters and lone surrogates that Postgres cannot store in an outcome', async () => {
    const vaultId = await createVault(stack);
    const { body } = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, job());
    const response = await stack.api('POST', `/v1/vaults/${vaultId}/jobs/${body.id}/complete`, { status: 'Failed', errorMessage: 'bad\u0000byte' });
    expect(response.status).toBe(400);
    expect((await stack.api('POST', `/v1/vaults/${vaultId}/jobs/${body.id}/complete`, { status: 'Failed', warnings: ['\u0000'] })).status).toBe(400);
    // Found by the fuzzer: JSON escapes a lone surrogate as \ud800, which jsonb refuses (was a 500).
    expect((await stack.api('POST', `/v1/vaults/${vaultId}/jobs/${body.id}/complete`, { status: 'Failed', errorMessage: '\ud800' })).status).toBe(400);
    expect((await stack.api('POST', `/v1/vaults/${vaultId}/jobs/${body.id}/complete`, { status: 'Failed', errorMessage: 'ok 😀' })).status).toBe(202);
  });

  it.each([
    ['alerts', 'a job id against the uuid column', cursorOf(['2025-01-01T00:00:00.000Z', 'job-42'])],
    ['alerts', 'a year-275760 date', cursorOf(['+275760-09-13T00:00:00.000Z', '0b7f7a4e-58c1-4c55-9c43-5a8f5d9d3a11'])],
    ['jobs', 'a year-275760 date', cursorOf(['+275760-09-13T00:00:00.000Z', 'job-42'])],
    ['jobs', 'a year-0000 date', cursorOf(['0000-01-01T00:00:00.000Z', 'job-42'])],
    ['jobs', 'a NUL in the id', cursorOf(['2025-01-01T00:00:00.000Z', 'a\u0000b'])],
    ['jobs', 'a date that is not an instant', cursorOf(['2025-02-30T00:00:00.000Z', 'job-42'])],
  ])('a %s cursor with %s is a 400, not a 500', async (list, _, cursor) => {
    const vaultId = await createVault(stack);
    const response = await stack.api('GET', `/v1/vaults/${vaultId}/${list}?cursor=${cursor}`);
    expect(response.status).toBe(400);
    expect(response.body.status).toBe(400);
  });

  it.each([['from=0000-01-01T00:00:00Z'], ['to=%2B275760-09-13T00:00:00Z'], ['from=9999-12-31T23:59:60Z']])('a list bound %s is a 400', async (query) => {
    const vaultId = await createVault(stack);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/jobs?${query}`)).status).toBe(400);
  });
});

describe('outcomes decided once', () => {
  it('a 29-day-old job completed while workers are down: 202, then 409 for every other outcome, then it ends and alerts', async () => {
    const vaultId = await createVault(stack);
    const startedAt = new Date(Date.now() - 29 * DAY).toISOString();
    await stack.stopWorker();
    try {
      const started = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, job({ jobId: 'old', startedAt }));
      expect(started.status).toBe(201);
      expect(await rowOf(vaultId, 'old')).toMatchObject({ status: 'InProgress' }); // written by the API itself
      const first = await stack.api('POST', `/v1/vaults/${vaultId}/jobs/old/complete`, { status: 'Failed', errorCode: 'UserErrorDiskFull' });
      expect(first.status).toBe(202);
      expect((await stack.api('POST', `/v1/vaults/${vaultId}/jobs/old/complete`, { status: 'Completed' })).status).toBe(409);
      expect((await stack.api('POST', `/v1/vaults/${vaultId}/jobs/old/cancel`)).status).toBe(409);
      // The caller reads its own outcome at once, although no worker has recorded it.
      expect((await stack.api('GET', `/v1/vaults/${vaultId}/jobs/old`)).body).toMatchObject({ status: 'Failed', errorCode: 'UserErrorDiskFull' });
      // The jobs list agrees with the job's own page.
      const listed = (await stack.api('GET', `/v1/vaults/${vaultId}/jobs`)).body.items;
      expect(listed).toMatchObject([{ id: 'old', status: 'Failed', errorCode: 'UserErrorDiskFull', endedAt: expect.any(String) }]);
      expect((await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, job({ jobId: 'old', startedAt }))).status).toBe(200);
    } finally {
      await stack.startWorker();
    }
    await handle(vaultId, 'old').result();
    const row = await rowOf(vaultId, 'old');
    expect(row).toMatchObject({ status: 'Failed', error_code: 'UserErrorDiskFull' });
    expect(Number(row!.duration_ms)).toBeGreaterThan(2 ** 31); // past the old integer column
    expect(await alertsOf(stack, vaultId)).toMatchObject([{ jobId: 'old', scenario: 'BackupFailure' }]);
    expect((await stack.api('POST', `/v1/vaults/${vaultId}/jobs/old/complete`, { status: 'Completed' })).status).toBe(409);
  }, 90_000);

  it('concurrent completes and cancels: exactly one 202', async () => {
    const vaultId = await createVault(stack);
    const { body } = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, job());
    const calls = Array.from({ length: 16 }, (_, i) => i % 4 === 0
      ? stack.api('POST', `/v1/vaults/${vaultId}/jobs/${body.id}/cancel`)
      : stack.api('POST', `/v1/vaults/${vaultId}/jobs/${body.id}/complete`, { status: i % 2 ? 'Completed' : 'Failed' }));
    const statuses = (await Promise.all(calls)).map((r) => r.status).sort();
    expect(statuses).toEqual([202, ...Array(15).fill(409)]);
    await handle(vaultId, body.id).result();
    const [claim] = await stack.sql`select kind, signal, signalled_at from job_outcomes where vault_id = ${vaultId} and job_id = ${body.id}`;
    const row = await rowOf(vaultId, body.id);
    expect(row!.status).toBe(claim!.kind === 'cancel' ? 'Cancelled' : claim!.signal.status);
    expect(claim!.signalled_at).not.toBeNull();
  });

  it('after Temporal forgot a finished job: complete is a 409, the same jobId answers 200 with the same job, no new workflow', async () => {
    const vaultId = await createVault(stack);
    // What retention leaves behind: the job's row, Completed, and no execution at all in Temporal.
    const startedAt = new Date(Date.now() - 20 * DAY).toISOString();
    const endedAt = new Date(Date.now() - 20 * DAY + 90_000).toISOString();
    await stack.sql`insert into jobs (vault_id, id, workload_type, operation, trigger, entity_name, status, listed, started_at, ended_at, duration_ms)
      values (${vaultId}, 'gone', 'AzureVM', 'Backup', 'User', 'vm-01', 'Completed', true, ${startedAt}::timestamptz, ${endedAt}::timestamptz, 90000)`;
    await expect(handle(vaultId, 'gone').describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    const finished = (await stack.api('GET', `/v1/vaults/${vaultId}/jobs/gone`)).body;
    expect(finished).toMatchObject({ status: 'Completed', durationMs: 90_000 });
    expect((await stack.api('POST', `/v1/vaults/${vaultId}/jobs/gone/complete`, { status: 'Failed' })).status).toBe(409);
    expect((await stack.api('POST', `/v1/vaults/${vaultId}/jobs/gone/cancel`)).status).toBe(409);
    const again = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, job({ jobId: 'gone', entityName: 'other' }));
    expect(again).toMatchObject({ status: 200, body: finished });
    await expect(handle(vaultId, 'gone').describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect(await stack.sql`select 1 from job_outcomes where vault_id = ${vaultId}`).toHaveLength(0);
  });

  it('a job whose workflow was terminated: complete is a 409 and nothing stays claimed', async () => {
    const vaultId = await createVault(stack);
    await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, job({ jobId: 'term' }));
    await handle(vaultId, 'term').terminate('operator');
    expect((await stack.api('POST', `/v1/vaults/${vaultId}/jobs/term/complete`, { status: 'Completed' })).status).toBe(409);
    expect(await stack.sql`select 1 from job_outcomes where vault_id = ${vaultId}`).toHaveLength(0);
  });

  it('an InProgress job whose workflow is missing is re-started by a repeated start', async () => {
    const vaultId = await createVault(stack);
    const startedAt = new Date(Date.now() - 60_000);
    await stack.sql`insert into jobs (vault_id, id, workload_type, operation, trigger, entity_name, status, listed, started_at)
      values (${vaultId}, 'orphan', 'AzureVM', 'Backup', 'User', 'vm-01', 'InProgress', true, ${startedAt.toISOString()}::timestamptz)`;
    const again = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, job({ jobId: 'orphan' }));
    expect(again).toMatchObject({ status: 200, body: { id: 'orphan', status: 'InProgress', startedAt: startedAt.toISOString() } });
    expect((await handle(vaultId, 'orphan').describe()).status.name).toBe('RUNNING');
    expect((await stack.api('POST', `/v1/vaults/${vaultId}/jobs/orphan/cancel`)).status).toBe(202);
    await handle(vaultId, 'orphan').result();
    expect((await rowOf(vaultId, 'orphan'))!.status).toBe('Cancelled');
  });

  it('a job started through the Temporal client helper: the API answers that job (200), not the body it was sent', async () => {
    const vaultId = await createVault(stack);
    await stack.stopWorker();
    try {
      const jobs = createJobsClient({ client: stack.client, taskQueue: stack.taskQueue, jobTimeoutMs: 3_600_000 });
      await jobs.startJob({ vaultId, jobId: 'sdk', workloadType: 'AzureVM', operation: 'Backup', trigger: 'User', entityName: 'vm-sdk' });
      const again = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, job({ jobId: 'sdk', entityName: 'vm-other' }));
      expect(again).toMatchObject({ status: 200, body: { id: 'sdk', entityName: 'vm-sdk', status: 'InProgress' } });
      expect((await rowOf(vaultId, 'sdk'))!.entity_name).toBe('vm-sdk');
      expect((await stack.api('POST', `/v1/vaults/${vaultId}/jobs/sdk/complete`, { status: 'Completed' })).status).toBe(202);
    } finally {
      await stack.startWorker();
    }
    await handle(vaultId, 'sdk').result();
    expect((await rowOf(vaultId, 'sdk'))!.status).toBe('Completed');
  }, 60_000);

  it('a claim whose signal never went out (a crash after the claim) is delivered by the sweeper', async () => {
    const vaultId = await createVault(stack);
    const { body } = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, job());
    const endedAt = new Date().toISOString();
    await stack.sql`insert into job_outcomes (vault_id, job_id, kind, signal)
      values (${vaultId}, ${body.id}, 'complete', ${JSON.stringify({ status: 'Failed', errorCode: 'Crashed', errorMessage: null, warnings: [], endedAt })}::jsonb)`;
    expect((await stack.api('POST', `/v1/vaults/${vaultId}/jobs/${body.id}/complete`, { status: 'Completed' })).status).toBe(409);
    await eventually(async () => (await rowOf(vaultId, body.id))?.status === 'Failed', 'the sweeper to deliver the outcome', 30_000);
    const row = await rowOf(vaultId, body.id);
    expect(row!.error_code).toBe('Crashed');
    expect(new Date(row!.ended_at).toISOString()).toBe(endedAt);
    await eventually(async () => (await stack.sql`select signalled_at from job_outcomes where vault_id = ${vaultId}`)[0]?.signalled_at, 'signalledAt');
  }, 60_000);
});
