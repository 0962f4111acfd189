import type { Database } from '../db/client';
import type { Job } from '../domain/types';
import { wakeBackupWatch, type WakeDeps } from './backup-watch-wake';
import { writeJobFinished } from './jobs';
import { afterResolution, lockItemForResolution, resolveLocked, type Dispatch } from './resolve';

/**
 * backupJob's one local activity for a job that raises nothing but may clear a condition (patch
 * `finish-and-resolve`; most jobs are such successes): the terminal state and the auto-resolve
 * (§2.4) in one transaction, so one activation, one marker and one commit instead of two. The item's
 * lock is taken first, before the item's row, in the order raiseAlert takes them. Idempotent: a
 * retry finds the job terminal and nothing left to resolve.
 */
export function createFinishAndResolve(deps: WakeDeps & { db: Database; dispatch?: Dispatch }) {
  return {
    async recordJobFinishedAndResolve({ job }: { job: Job }): Promise<string[]> {
      const resolution = await deps.db.transaction(async (tx) => {
        const vault = await lockItemForResolution(tx, job);
        const wake = await writeJobFinished(tx, job, new Date());
        const resolved = await resolveLocked(tx, job, vault);
        // Before the commit, as recordJobFinished does (the watch row's share lock is held).
        if (wake) await wakeBackupWatch(deps, job.vaultId);
        return resolved;
      });
      await afterResolution(deps.dispatch, job, resolution);
      return resolution.ids;
    },
  };
}
