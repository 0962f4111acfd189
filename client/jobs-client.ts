// For backup services that talk to Temporal directly instead of over HTTP: the same workflow,
// ids, messages and validation as the API, typed end to end.
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle, type WorkflowStartOptions } from '@temporalio/client';
import { admitJob } from '../domain/visibility';
import type { CompletionStatus, Job, Operation, Trigger, WorkloadType } from '../domain/types';
import {
  BACKUP_JOB_WORKFLOW, cancelJobSignal, completeJobSignal, getJobQuery, jobWorkflowId, searchAttributes,
  type BackupJobInput,
} from '../workflows/definitions';
import type { backupJob } from '../workflows/backup-job';
import { withDeadline } from './deadline';

export interface StartJobRequest {
  vaultId: string;
  jobId?: string;
  workloadType: WorkloadType;
  operation: Operation;
  trigger: Trigger;
  entityName: string;
  startedAt?: Date;
}

export interface JobOutcome {
  status: CompletionStatus;
  errorCode?: string;
  errorMessage?: string;
  warnings?: string[];
}

export function initialJob(input: BackupJobInput): Job {
  return {
    id: input.jobId, vaultId: input.vaultId, workloadType: input.workloadType, operation: input.operation,
    trigger: input.trigger, entityName: input.entityName, status: 'InProgress', startedAt: input.startedAt,
    endedAt: null, durationMs: null, errorCode: null, errorMessage: null, warnings: [],
  };
}

/** Start options shared by every caller: the id is the business key, so a repeat can never fork a job. */
export function backupJobStartOptions(input: BackupJobInput, taskQueue: string): WorkflowStartOptions<typeof backupJob> {
  return {
    workflowId: jobWorkflowId(input.vaultId, input.jobId),
    taskQueue,
    args: [input],
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    workflowIdConflictPolicy: 'FAIL',
    memo: { job: initialJob(input) },
    typedSearchAttributes: [
      { key: searchAttributes.vaultId, value: input.vaultId },
      { key: searchAttributes.workloadType, value: input.workloadType },
      { key: searchAttributes.jobOperation, value: input.operation },
      { key: searchAttributes.jobStatus, value: 'InProgress' },
    ],
    staticSummary: `${input.operation} of ${input.entityName} (${input.workloadType}) in vault ${input.vaultId}`,
    staticDetails: jobDetailsMarkdown(input),
  };
}

// A code span shows free text as it is; only a backtick could end it early.
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

/** What an operator reads first in the Temporal UI, fixed at start (the status lives in JobStatus). */
export function jobDetailsMarkdown(input: BackupJobInput): string {
  return [
    `- **Vault**: ${code(input.vaultId)}`,
    `- **Protected item**: ${code(input.entityName)}`,
    `- **Workload**: ${input.workloadType}`,
    `- **Operation**: ${input.operation}`,
    `- **Trigger**: ${input.trigger}`,
    `- **Started**: ${input.startedAt}`,
    `- **Job id**: ${code(input.jobId)}`,
  ].join('\n');
}

export function buildJobInput(request: StartJobRequest, jobTimeoutMs: number, now = new Date()): BackupJobInput {
  return {
    vaultId: request.vaultId,
    jobId: request.jobId ?? randomUUID(),
    workloadType: request.workloadType,
    operation: request.operation,
    trigger: request.trigger,
    entityName: request.entityName,
    startedAt: (request.startedAt ?? now).toISOString(),
    timeoutMs: jobTimeoutMs,
  };
}

/**
 * The live job from its workflow (a query: needs a worker), or, when no worker answers within a
 * few seconds, the job as it was started (memo): a repeated start answers while workers are down.
 * The API does not use this: it reads Postgres.
 */
async function startedJob(client: Client, handle: WorkflowHandle): Promise<Job> {
  try {
    return await withDeadline(client, () => handle.query(getJobQuery), 3_000);
  } catch {
    const memo = (await (await handle.describe()).memo) as { job?: Job } | undefined;
    if (!memo?.job) throw new Error(`job workflow ${handle.workflowId} has no job memo`);
    return memo.job;
  }
}

export function createJobsClient({ client, taskQueue, jobTimeoutMs }: { client: Client; taskQueue: string; jobTimeoutMs: number }) {
  const handle = (vaultId: string, jobId: string) => client.workflow.getHandle<typeof backupJob>(jobWorkflowId(vaultId, jobId));
  return {
    /** Starts the job; a known jobId returns `created: false` with the running or finished job. */
    async startJob(request: StartJobRequest): Promise<{ created: boolean; job: Job }> {
      const admission = admitJob(request.workloadType);
      if (!admission.admitted) throw new Error(`${request.workloadType} jobs are not monitored (${admission.reason})`);
      const input = buildJobInput(request, jobTimeoutMs);
      try {
        await client.workflow.start(BACKUP_JOB_WORKFLOW, backupJobStartOptions(input, taskQueue));
        return { created: true, job: initialJob(input) };
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        return { created: false, job: await startedJob(client, handle(input.vaultId, input.jobId)) };
      }
    },
    completeJob: (vaultId: string, jobId: string, outcome: JobOutcome) =>
      handle(vaultId, jobId).signal(completeJobSignal, { ...outcome, endedAt: new Date().toISOString() }),
    cancelJob: (vaultId: string, jobId: string) => handle(vaultId, jobId).signal(cancelJobSignal, { endedAt: new Date().toISOString() }),
    getJob: (vaultId: string, jobId: string) => handle(vaultId, jobId).query(getJobQuery),
    /** Resolves when the job's workflow has recorded the outcome and raised its alert. */
    waitForEnd: (vaultId: string, jobId: string) => handle(vaultId, jobId).result(),
  };
}
