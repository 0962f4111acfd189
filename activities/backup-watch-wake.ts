import type { Client } from '@temporalio/client';
import { isNotNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { items } from '../db/schema';
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

/**
 * Wakes the watch of every vault that has a watched item. The worker runs it at start, so that a
 * watch lost with Temporal's data (an in-memory dev server restarted, a workflow terminated by
 * hand) is back within one worker start; for a running watch it is one redundant sweep.
 */
export async function rearmBackupWatches(deps: WakeDeps & { db: Database }): Promise<number> {
  const rows = await deps.db.selectDistinct({ vaultId: items.vaultId }).from(items).where(isNotNull(items.deadlineAt));
  for (let i = 0; i < rows.length; i += 50) {
    await Promise.all(rows.slice(i, i + 50).map((r) => wakeBackupWatch(deps, r.vaultId)));
  }
  return rows.length;
}
