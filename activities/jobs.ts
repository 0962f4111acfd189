import type { Client } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import type { Database, DbOrTx } from '../db/client';
import { jobs } from '../db/schema';
import { recordItemJobFinished, recordItemJobStarted } from '../readmodel/item-watch';
import { wakeBackupWatch } from './backup-watch-wake';
import { jobVisibility } from '../domain/visibility';
import type { Job } from '../domain/types';

function toRow(job: Job) {
  return {
    vaultId: job.vaultId,
    id: job.id,
    workloadType: job.workloadType,
    operation: job.operation,
    trigger: job.trigger,
    entityName: job.entityName,
    status: job.status,
    listed: jobVisibility(job).listed,
    startedAt: new Date(job.startedAt),
    endedAt: job.endedAt ? new Date(job.endedAt) : null,
    durationMs: job.durationMs,
    errorCode: job.errorCode,
    errorMessage: job.errorMessage,
    warnings: job.warnings,
    updatedAt: new Date(),
  };
}

/**
 * The terminal state and what it changes on the item, in the caller's transaction. Returns whether
 * the vault's watch must be woken (signalled before the commit: see recordJobStarted).
 */
export async function writeJobFinished(tx: DbOrTx, job: Job, now: Date): Promise<boolean> {
  const row = toRow(job);
  const upsertJob = tx.insert(jobs).values(row).onConflictDoUpdate({
    target: [jobs.vaultId, jobs.id],
    set: {
      status: row.status, endedAt: row.endedAt, durationMs: row.durationMs, errorCode: row.errorCode,
      errorMessage: row.errorMessage, warnings: row.warnings, updatedAt: row.updatedAt,
    },
    setWhere: sql`${jobs.status} = 'InProgress'`,
  });
  // The job row, then the item row, one after the other. Sent together (Promise.all), the item's
  // statements could reach Postgres first, since its async function starts before the job's query
  // does; with failures and a success of one item finishing at once that deadlocked in
  // finish-and-resolve.test.ts 4 runs in 10. The item's fields themselves are order-insensitive.
  await upsertJob;
  return recordItemJobFinished(tx, job, now);
}

export function createJobActivities(deps: { db: Database; client: Client; taskQueue: string }) {
  const { db } = deps;
  return {
    /**
     * Idempotent: a retry or a replayed start never creates a second row. The item is known from
     * its first job (§2.5); if that arms a deadline earlier than the watch sleeps, it is woken.
     */
    async recordJobStarted({ job }: { job: Job }): Promise<void> {
      await db.transaction(async (tx) => {
        // Pipelined: the two independent statements leave together on the transaction's connection
        // (one round trip instead of two); either failing rolls the whole transaction back.
        const [, wake] = await Promise.all([
          tx.insert(jobs).values(toRow(job)).onConflictDoNothing(),
          recordItemJobStarted(tx, job, new Date()),
        ]);
        // Signalled before the commit, while this transaction holds the watch row's share lock:
        // the watch cannot re-arm without seeing this deadline, and a failed signal rolls back.
        if (wake) await wakeBackupWatch(deps, job.vaultId);
      });
    },

    /** Writes the terminal state; a row already terminal is left as it is (terminal never changes). */
    async recordJobFinished({ job }: { job: Job }): Promise<void> {
      await db.transaction(async (tx) => {
        if (await writeJobFinished(tx, job, new Date())) await wakeBackupWatch(deps, job.vaultId);
      });
    },
  };
}
