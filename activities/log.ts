import { asyncLocalStorage } from '@temporalio/activity';
import type { Logger } from '@temporalio/common';

const silent: Logger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/**
 * The running activity's logger: the SDK adds workflowId, workflowRunId and activityType to every
 * line and hands it to the Runtime logger (pino in the worker). Outside an activity, as when a
 * test calls an activity function directly, there is nothing to correlate with, so it is silent.
 */
export function activityLog(): Logger {
  return asyncLocalStorage.getStore()?.log ?? silent;
}
