import type { Client } from '@temporalio/client';

/**
 * The SDK retries an unreachable server for about 20 s before it gives up; an API request should
 * answer its 503 long before that (and before the outcome sweeper's grace, see worker/outcome-sweeper.ts).
 */
export const TEMPORAL_CALL_DEADLINE_MS = 5_000;

export function withDeadline<T>(client: Client, fn: () => Promise<T>, ms = TEMPORAL_CALL_DEADLINE_MS): Promise<T> {
  return client.connection.withDeadline(Date.now() + ms, fn);
}
