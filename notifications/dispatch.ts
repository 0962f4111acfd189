import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import {
  DELIVERY_WORKFLOW, deliveryStart, digestDueSignal, VAULT_NOTIFICATIONS_WORKFLOW, vaultWorkflowStart,
} from '../workflows/definitions';
import { parseWindowWakeToken } from './tokens';

export { deliveryStart, vaultWorkflowStart };

export interface DispatchDeps {
  client: Client;
  taskQueue: string;
}

const BATCH = 20;

/**
 * Starts the sending of committed Pending deliveries (one durable workflow each, id from the
 * delivery id, so dispatching twice is harmless). Call it after the transaction that planned them
 * commits; a sweeper in the worker dispatches any that a crash left behind. Digest wake-up tokens
 * in the list (see planAlertEvent) become one signal to the vault's workflow.
 */
export async function dispatchDeliveries(deps: DispatchDeps, deliveryIds: readonly string[], options: { startDelayMs?: number } = {}): Promise<void> {
  const ids = [...new Set(deliveryIds)];
  for (let i = 0; i < ids.length; i += BATCH) {
    await Promise.all(ids.slice(i, i + BATCH).map((id) => dispatchOne(deps, id, options.startDelayMs)));
  }
}

async function dispatchOne({ client, taskQueue }: DispatchDeps, id: string, startDelayMs?: number): Promise<void> {
  const wake = parseWindowWakeToken(id);
  if (wake) {
    await client.workflow.signalWithStart(VAULT_NOTIFICATIONS_WORKFLOW, {
      ...vaultWorkflowStart(taskQueue, wake.vaultId), signal: digestDueSignal, signalArgs: [{ windowEndMs: wake.windowEndMs }],
    });
    return;
  }
  try {
    // A delay (the retry after a first attempt made elsewhere) holds back the workflow's first task.
    await client.workflow.start(DELIVERY_WORKFLOW, { ...deliveryStart(taskQueue, id), ...(startDelayMs ? { startDelay: startDelayMs } : {}) });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
