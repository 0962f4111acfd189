import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { jobs } from '../db/schema';
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

export function createJobActivities({ db }: { db: Database }) {
  return {
    /** Idempotent: a retry or a replayed start never creates a second row. */
    async recordJobStarted({ job }: { job: Job }): Promise<void> {
      await db.insert(jobs).values(toRow(job)).onConflictDoNothing();
    },

    /** Writes the terminal state; a row already terminal is left as it is (terminal never changes). */
    async recordJobFinished({ job }: { job: Job }): Promise<void> {
      const row = toRow(job);
      await db
        .insert(jobs)
        .values(row)
        .onConflictDoUpdate({
          target: [jobs.vaultId, jobs.id],
          set: {
            status: row.status,
            endedAt: row.endedAt,
            durationMs: row.durationMs,
            errorCode: row.errorCode,
            errorMessage: row.errorMessage,
            warnings: row.warnings,
            updatedAt: row.updatedAt,
          },
          setWhere: sql`${jobs.status} = 'InProgress'`,
        });
    },
  };
}
