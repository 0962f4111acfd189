import type { Client } from '@temporalio/client';

export interface DispatchDeps {
  client: Client;
  taskQueue: string;
}

/**
 * Starts the sending of committed Pending deliveries (one durable workflow each, id from the
 * delivery id, so dispatching twice is harmless). Call it after the transaction that planned them
 * commits; a sweeper in the worker dispatches any that a crash left behind.
 */
export async function dispatchDeliveries(_deps: DispatchDeps, _deliveryIds: readonly string[]): Promise<void> {
  // implemented by the channels work (issue 10)
}
