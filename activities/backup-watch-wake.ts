import type { Client } from '@temporalio/client';
import {
  BACKUP_WATCH_WORKFLOW, backupWatchWorkflowId, searchAttributes, wakeBackupWatchSignal, type BackupWatchInput,
} from '../workflows/definitions';

export interface WakeDeps {
  client: Client;
  taskQueue: string;
}

/**
 * Tells the vault's missed-backup watch that a deadline may have moved earlier, starting the
 * watch on first use (signal-with-start makes that race-free). Harmless when nothing moved: the
 * watch reads its next deadline from Postgres again.
 */
export async function wakeBackupWatch({ client, taskQueue }: WakeDeps, vaultId: string): Promise<void> {
  const args: [BackupWatchInput] = [{ vaultId }];
  await client.workflow.signalWithStart(BACKUP_WATCH_WORKFLOW, {
    workflowId: backupWatchWorkflowId(vaultId),
    taskQueue,
    args,
    signal: wakeBackupWatchSignal,
    signalArgs: [],
    typedSearchAttributes: [{ key: searchAttributes.vaultId, value: vaultId }],
    staticSummary: `Missed-backup watch of vault ${vaultId}`,
  });
}
