// Start, complete and cancel (§4, §8) answer from what they wrote or claimed themselves: no polling
// of the read model, no describe, one Temporal call each. See docs/notes/reliability.md.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { z } from '@hono/zod-openapi';
import { backupJobStartOptions, buildJobInput, initialJob } from '../../client/jobs-client';
import { withDeadline } from '../../client/deadline';
import { signalOutcome } from '../../client/job-outcomes';
import { jobs } from '../../db/schema';
import { admitJob, jobVisibility } from '../../domain/visibility';
import type { Job } from '../../domain/types';
import { findJob, findJobAndAccepted, findVaultAndJob } from '../../readmodel/jobs';
import { claimUnlessEnded, markSignalled, releaseClaim, type AcceptedOutcome, type OutcomeClaim } from '../../readmodel/job-outcomes';
import { BACKUP_JOB_WORKFLOW, jobWorkflowId, type BackupJobInput } from '../../workflows/definitions';
import { JobState } from '../../workflows/job-state';
import type { AppDeps } from '../deps';
import { isDependencyOutage } from '../unavailable';
import { ProblemError, notFound } from '../problem';
import type { CompleteJobBody, StartJobBody } from '../schemas';

const DAY_MS = 86_400_000;
export const STARTED_AT_MAX_AGE_MS = 30 * DAY_MS;
export const STARTED_AT_MAX_AHEAD_MS = 5 * 60_000;

const now = (deps: AppDeps) => deps.now?.() ?? new Date();

/** §4: a startedAt the job timeout could not sensibly count from is refused before anything is written. */
function checkStartedAt(startedAt: Date | undefined, at: Date) {
  if (!startedAt) return;
  const age = at.getTime() - startedAt.getTime();
  if (age > STARTED_AT_MAX_AGE_MS) throw new ProblemError(400, 'startedAt is more than 30 days in the past.');
  if (-age > STARTED_AT_MAX_AHEAD_MS) throw new ProblemError(400, 'startedAt is more than 5 minutes in the future.');
}

const inputOf = (job: Job, timeoutMs: number): BackupJobInput => ({
  vaultId: job.vaultId, jobId: job.id, workloadType: job.workloadType, operation: job.operation,
  trigger: job.trigger, entityName: job.entityName, startedAt: job.startedAt, timeoutMs,
});

/** True when this call started the workflow; false when one with this id exists or existed. */
async function startWorkflow(deps: AppDeps, input: BackupJobInput): Promise<boolean> {
  try {
    await withDeadline(deps.temporal, () => deps.temporal.workflow.start(BACKUP_JOB_WORKFLOW, backupJobStartOptions(input, deps.taskQueue)));
    return true;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw error;
  }
}

async function insertJobRow(deps: AppDeps, job: Job): Promise<void> {
  await deps.db.insert(jobs).values({
    vaultId: job.vaultId, id: job.id, workloadType: job.workloadType, operation: job.operation, trigger: job.trigger,
    entityName: job.entityName, status: job.status, listed: jobVisibility(job).listed, startedAt: new Date(job.startedAt),
    warnings: [],
  }).onConflictDoNothing();
}

/**
 * Postgres is the permanent record of every jobId: a stored job answers 200 as it is, however long
 * ago its workflow ran. A new one is started in Temporal first, then written: a crash in between
 * leaves a running workflow that writes the row itself (recordJobStarted), never a row without a
 * workflow to time it out.
 */
export async function startJob(deps: AppDeps, vaultId: string, body: z.output<typeof StartJobBody>) {
  // The vault and a stored job of this id in one statement; the vault's 404 comes first.
  const { vault, job: stored } = await findVaultAndJob(deps.db, vaultId, body.jobId);
  if (!vault) throw notFound(`Vault ${vaultId}`);
  const admission = admitJob(body.workloadType);
  if (!admission.admitted) {
    throw new ProblemError(422, `${body.workloadType} jobs are not monitored by the vault (${admission.reason}).`, {
      reason: admission.reason,
    });
  }
  const at = now(deps);
  checkStartedAt(body.startedAt, at);
  const input = buildJobInput({ ...body, vaultId }, deps.jobTimeoutMs, at);
  if (stored) {
    // A row from before this API wrote rows, or a workflow terminated and purged: revive it so
    // that something still ends the job (its timeout). Already started: nothing to do.
    if (stored.status === 'InProgress') await startWorkflow(deps, inputOf(stored, deps.jobTimeoutMs));
    return { created: false, job: stored };
  }
  if (!(await startWorkflow(deps, input))) return { created: false, job: await adoptStarted(deps, input) };
  try {
    await insertJobRow(deps, initialJob(input));
  } catch (error) {
    // The workflow exists and records the job itself once Postgres answers again: the start stands.
    if (!isDependencyOutage(error)) throw error;
    deps.log.warn({ err: error, vaultId, jobId: input.jobId }, 'job row deferred to its workflow');
  }
  return { created: true, job: initialJob(input) };
}

/**
 * The workflow exists but had no row a moment ago: started concurrently by another request, or
 * through the Temporal client helper before its worker ran. The job is what that start said (its
 * memo), not this request's body; the row is written from it so Postgres keeps the record.
 */
async function adoptStarted(deps: AppDeps, input: BackupJobInput): Promise<Job> {
  const stored = await findJob(deps.db, input.vaultId, input.jobId);
  if (stored) return stored;
  const description = await withDeadline(deps.temporal, () => deps.temporal.workflow.getHandle(jobWorkflowId(input.vaultId, input.jobId)).describe());
  const job = ((await description.memo) as { job?: Job } | undefined)?.job ?? initialJob(input);
  await insertJobRow(deps, job);
  return (await findJob(deps.db, input.vaultId, input.jobId)) ?? job;
}

/** A job as its workflow will record it once a worker runs: the accepted outcome applied. */
function withAccepted(deps: AppDeps, stored: Job, accepted: AcceptedOutcome): Job {
  const state = new JobState(inputOf(stored, deps.jobTimeoutMs));
  if (accepted.kind === 'complete') state.complete(accepted.signal);
  else state.cancel(accepted.signal);
  return state.job;
}

/**
 * Jobs are read from Postgres only (the API writes the row before it answers the start). An
 * accepted outcome that the workflow has not recorded yet (workers down, or a second behind) is
 * shown as the workflow will record it, so a caller reads its own 202 at once.
 */
export async function readJob(deps: AppDeps, vaultId: string, jobId: string): Promise<Job | null> {
  const found = await findJobAndAccepted(deps.db, vaultId, jobId);
  if (!found) return null;
  return found.accepted ? withAccepted(deps, found.job, found.accepted) : found.job;
}

/** The same for a page of jobs as their accepted outcomes will leave them (read with the page: readmodel/jobs.ts). */
export function withAcceptedOutcomes(deps: AppDeps, page: { items: Job[]; nextCursor: string | null; accepted: ReadonlyMap<string, AcceptedOutcome> }) {
  const items = page.items.map((job) => {
    const accepted = page.accepted.get(job.id);
    return accepted ? withAccepted(deps, job, accepted) : job;
  });
  return { items, nextCursor: page.nextCursor };
}

const alreadyEnded = (jobId: string, status: string) =>
  new ProblemError(409, `Job ${jobId} has already ended (${status}); a terminal job never changes.`);

/**
 * The outcome is claimed in Postgres first (one row per job, ever): the winner gets 202, every
 * other call 409, with workers up or down and for ever after. Then one signal; when that fails
 * for an outage the claim still stands (202) and the worker's sweeper delivers it.
 */
async function decideOutcome(deps: AppDeps, claim: OutcomeClaim): Promise<void> {
  const { vaultId, jobId } = claim;
  const { vault, status, claimed } = await claimUnlessEnded(deps.db, claim);
  // The vault is checked inside the claim's statement (no separate lookup): the route's 404.
  if (!vault) throw notFound(`Vault ${vaultId}`);
  const stored = status !== null;
  if (stored && status !== 'InProgress') throw alreadyEnded(jobId, status);
  if (!claimed) throw new ProblemError(409, `Job ${jobId} already has an accepted outcome; a job's outcome is decided once.`);
  let delivery;
  try {
    delivery = await signalOutcome(deps.temporal, claim);
  } catch (error) {
    // No row: a job known to no one but maybe Temporal. Without Temporal we cannot tell: undo.
    if (!stored || !isDependencyOutage(error)) {
      await releaseClaim(deps.db, vaultId, jobId);
      throw error;
    }
    deps.log.warn({ err: error, vaultId, jobId }, 'outcome claimed; the sweeper will signal it');
    return;
  }
  if (delivery === 'workflowGone') {
    await releaseClaim(deps.db, vaultId, jobId);
    if (!stored) throw notFound(`Job ${jobId} in vault ${vaultId}`);
    // No workflow runs: it just ended (a timeout racing this call) or an operator terminated it.
    throw new ProblemError(409, `Job ${jobId} has already ended or its workflow was terminated; its outcome can no longer change.`);
  }
  // Not awaited: the answer does not depend on it, and an unmarked claim only costs the sweeper a
  // repeated signal, which the workflow ignores.
  void markSignalled(deps.db, vaultId, jobId).catch((error) =>
    deps.log.warn({ err: error, vaultId, jobId }, 'signalled outcome not marked; the sweeper re-signals it (ignored by the workflow)'));
}

export async function completeJob(deps: AppDeps, vaultId: string, jobId: string, body: z.output<typeof CompleteJobBody>) {
  await decideOutcome(deps, {
    vaultId, jobId, kind: 'complete',
    signal: {
      status: body.status, errorCode: body.errorCode ?? null, errorMessage: body.errorMessage ?? null,
      warnings: body.warnings ?? [], endedAt: now(deps).toISOString(),
    },
  });
}

export async function cancelJob(deps: AppDeps, vaultId: string, jobId: string) {
  await decideOutcome(deps, { vaultId, jobId, kind: 'cancel', signal: { endedAt: now(deps).toISOString() } });
}
