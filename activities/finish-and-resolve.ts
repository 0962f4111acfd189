import type { Job } from '../domain/types';

type Step = (input: { job: Job }) => Promise<unknown>;
type Resolve = (input: { job: Job }) => Promise<string[]>;

/**
 * backupJob's one local activity for a job that raises nothing but may clear a condition (patch
 * `finish-and-resolve`; most jobs are such successes): record the terminal state, then auto-resolve
 * (§2.4). One activation and one marker instead of two. Both steps are idempotent, so a retry
 * after either is harmless; the resolution's deliveries are dispatched as resolveAlerts does.
 */
export function createFinishAndResolve({ recordJobFinished, resolveAlerts }: { recordJobFinished: Step; resolveAlerts: Resolve }) {
  return {
    async recordJobFinishedAndResolve(input: { job: Job }): Promise<string[]> {
      await recordJobFinished(input);
      return resolveAlerts(input);
    },
  };
}
