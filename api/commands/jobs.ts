import { backupJobStartOptions, buildJobInput, initialJob } from '../../client/jobs-client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { admitJob } from '../../domain/visibility';
import type { Job } from '../../domain/types';
import {
  BACKUP_JOB_WORKFLOW, cancelJobSignal, completeJobSignal, jobWorkflowId, searchAttributes, type CompleteJobSignal,
} from '../../workflows/definitions';
import { waitUntil, type AppDeps } from '../deps';
import { findJob } from '../../readmodel/jobs';
import { ProblemError, notFound } from '../problem';
import type { z } from '@hono/zod-openapi';
import type { CompleteJobBody, StartJobBody } from '../schemas';

/** Starts the job's workflow; the workflow id is the business key, so a repeat finds the first job. */
export async function startJob(deps: AppDeps, vaultId: string, body: z.output<typeof StartJobBody>) {
  const admission = admitJob(body.workloadType);
  if (!admission.admitted) {
    throw new ProblemError(422, `${body.workloadType} jobs are not monitored by the vault (${admission.reason}).`, {
      reason: admission.reason,
    });
  }
  const input = buildJobInput({ ...body, vaultId }, deps.jobTimeoutMs, deps.now?.() ?? new Date());
  const job = initialJob(input);
  try {
    await deps.temporal.workflow.start(BACKUP_JOB_WORKFLOW, backupJobStartOptions(input, deps.taskQueue));
    await waitUntil(async () => (await findJob(deps.db, vaultId, input.jobId)) !== null, deps.readYourWritesMs ?? 3_000);
    return { created: true, job };
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    const existing = await readJob(deps, vaultId, input.jobId);
    if (!existing) throw error;
    return { created: false, job: existing };
  }
}

/** The job from the read model, or, before its first activity ran, from its workflow's memo. */
export async function readJob(deps: AppDeps, vaultId: string, jobId: string): Promise<Job | null> {
  const stored = await findJob(deps.db, vaultId, jobId);
  if (stored) return stored;
  try {
    const description = await deps.temporal.workflow.getHandle(jobWorkflowId(vaultId, jobId)).describe();
    const memo = (await description.memo) as { job?: Job } | undefined;
    if (!memo?.job) return null;
    const status = description.typedSearchAttributes.get(searchAttributes.jobStatus);
    return { ...memo.job, status: (status as Job['status'] | undefined) ?? memo.job.status };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
}

async function openJobHandle(deps: AppDeps, vaultId: string, jobId: string): Promise<WorkflowHandle> {
  const handle = deps.temporal.workflow.getHandle(jobWorkflowId(vaultId, jobId));
  let running: boolean;
  try {
    running = (await handle.describe()).status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw notFound(`Job ${jobId} in vault ${vaultId}`);
    throw error;
  }
  // The workflow outlives the outcome briefly while it raises the alert: the read model decides then.
  const stored = running ? await findJob(deps.db, vaultId, jobId) : null;
  if (!running || (stored && stored.status !== 'InProgress')) {
    throw new ProblemError(409, `Job ${jobId} has already ended${stored ? ` (${stored.status})` : ''}; a terminal job never changes.`);
  }
  return handle;
}

async function signalOpenJob(deps: AppDeps, vaultId: string, jobId: string, send: (h: WorkflowHandle) => Promise<void>) {
  const handle = await openJobHandle(deps, vaultId, jobId);
  try {
    await send(handle);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new ProblemError(409, `Job ${jobId} has already ended.`);
    throw error;
  }
}

export async function completeJob(deps: AppDeps, vaultId: string, jobId: string, body: z.output<typeof CompleteJobBody>) {
  const signal: CompleteJobSignal = {
    status: body.status,
    errorCode: body.errorCode ?? null,
    errorMessage: body.errorMessage ?? null,
    warnings: body.warnings ?? [],
    endedAt: (deps.now?.() ?? new Date()).toISOString(),
  };
  await signalOpenJob(deps, vaultId, jobId, (h) => h.signal(completeJobSignal, signal));
  await waitForTerminal(deps, vaultId, jobId);
}

/** Lets a caller read its own outcome (and a repeated outcome meet its 409) right after the 202. */
async function waitForTerminal(deps: AppDeps, vaultId: string, jobId: string) {
  await waitUntil(async () => (await findJob(deps.db, vaultId, jobId))?.status !== 'InProgress', deps.readYourWritesMs ?? 3_000);
}

export async function cancelJob(deps: AppDeps, vaultId: string, jobId: string) {
  const endedAt = (deps.now?.() ?? new Date()).toISOString();
  await signalOpenJob(deps, vaultId, jobId, (h) => h.signal(cancelJobSignal, { endedAt }));
  await waitForTerminal(deps, vaultId, jobId);
}
