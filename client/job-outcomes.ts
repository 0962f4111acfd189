// Delivers a claimed outcome to its job's workflow: one signal, nothing else. Shared by the API
// (right after the claim) and the worker's sweeper (for claims whose signal never went out).
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { OutcomeClaim } from '../readmodel/job-outcomes';
import { withDeadline } from './deadline';
import { cancelJobSignal, completeJobSignal, jobWorkflowId } from '../workflows/definitions';

export type Delivery = 'signalled' | 'workflowGone';

/**
 * 'workflowGone': Temporal knows no running workflow for the job (closed, terminated or purged).
 * Any other failure (an outage) is thrown; the claim stays for the sweeper.
 */
export async function signalOutcome(client: Client, claim: OutcomeClaim): Promise<Delivery> {
  const handle = client.workflow.getHandle(jobWorkflowId(claim.vaultId, claim.jobId));
  try {
    await withDeadline(client, () => claim.kind === 'complete'
      ? handle.signal(completeJobSignal, claim.signal)
      : handle.signal(cancelJobSignal, claim.signal));
    return 'signalled';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'workflowGone';
    throw error;
  }
}
