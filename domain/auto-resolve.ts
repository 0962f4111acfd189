// §2.4 auto-resolve: which open alerts of a protected item a finished job clears. Decided from the
// scenario-facts table alone, so adding a scenario (and what resolves it) is one row there.
import { scenariosResolvedBy, SCENARIO_FACTS } from './scenarios';
import type { JobStatus, Operation, Scenario } from './types';

export type ResolutionDecision =
  | { resolve: true; scenarios: Scenario[] }
  | { resolve: false; reason: 'AutoResolveOff' | 'NotTerminal' | 'ResolvesNothing' };

/** The scenarios whose open alerts on the job's item this outcome resolves, given the vault's switch. */
export function autoResolution(job: { operation: Operation; status: JobStatus }, vault: { autoResolve: boolean }): ResolutionDecision {
  if (job.status === 'InProgress') return { resolve: false, reason: 'NotTerminal' };
  const scenarios = scenariosResolvedBy(job);
  if (scenarios.length === 0) return { resolve: false, reason: 'ResolvesNothing' };
  if (!vault.autoResolve) return { resolve: false, reason: 'AutoResolveOff' };
  return { resolve: true, scenarios };
}

/** Job outcomes that clear an alert of this scenario (for the "already resolved" check at raise time). */
export function resolvingOutcomes(scenario: Scenario) {
  return SCENARIO_FACTS[scenario].resolvedBy;
}

/**
 * Scenarios raised by the missed-backup watch (§2.5), whose occurrence time is the watch's clock,
 * not a job's end: a success resolves them whenever it is processed, even one that ended before the
 * watch raised (it was reported late: the backup did run). Job-raised alerts whose occurrence is
 * after the success's end stay open, since the condition came back after it.
 */
export const RAISED_BY_WATCH: readonly Scenario[] = ['BackupMissed'];
