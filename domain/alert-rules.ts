import { isDestructive, SCENARIO_FACTS } from './scenarios';
import { SCENARIOS, type JobFacts, type Scenario, type Severity, type WorkloadType } from './types';

export const ALERTING_WORKLOADS: readonly WorkloadType[] = ['AzureVM', 'AzureFiles', 'AzureWorkload', 'MAB'];

/** Failures whose trigger already sees the outcome, so an alert would be noise (§2.2). */
export const CONCURRENT_OPERATION_CODES: readonly string[] = ['UserErrorBackupOperationInProgress', 'SystemBackupOperationInProgress'];
export const VM_NOT_FOUND_CODE = 'UserErrorVmNotFoundV2';

export const DESTRUCTIVE_SCENARIOS: readonly Scenario[] = SCENARIOS.filter(isDestructive);

export type NoAlertReason =
  | 'NotTerminal'
  | 'WorkloadNotAlerting'
  | 'CancelledByUser'
  | 'OperationAlreadyInProgress'
  | 'VmNotFound'
  | 'NoMatchingScenario';

export type AlertDecision =
  | { raise: true; scenario: Scenario; severity: Severity; destructive: boolean; consolidate: boolean }
  | { raise: false; reason: NoAlertReason };

function scenarioOf(job: JobFacts): Scenario | null {
  const { operation, status, workloadType } = job;
  if (operation === 'Backup' && status === 'Failed') return 'BackupFailure';
  if (operation === 'Restore' && status === 'Failed') return 'RestoreFailure';
  if (operation === 'Backup' && status === 'CompletedWithWarnings' && workloadType === 'MAB') return 'BackupSucceededWithWarnings';
  // "Completes" covers a clean finish and one with warnings: the data is gone (or kept) either way.
  const completed = status === 'Completed' || status === 'CompletedWithWarnings';
  if (operation === 'StopProtectionRetainData' && completed) return 'StopProtectionRetainData';
  if (operation === 'StopProtectionDeleteData' && completed) return 'StopProtectionDeleteData';
  if (operation === 'DeleteBackupData' && completed) return 'DeleteBackupData';
  return null;
}

function scenarioFor(job: JobFacts): { scenario: Scenario; severity: Severity } | null {
  const scenario = scenarioOf(job);
  return scenario ? { scenario, severity: SCENARIO_FACTS[scenario].severity } : null;
}

/** §2.2: decides, for a job in a terminal status, whether it raises an alert and which. */
export function evaluateAlert(job: JobFacts): AlertDecision {
  if (job.status === 'InProgress') return { raise: false, reason: 'NotTerminal' };
  if (!ALERTING_WORKLOADS.includes(job.workloadType)) return { raise: false, reason: 'WorkloadNotAlerting' };
  if (job.status === 'Cancelled') return { raise: false, reason: 'CancelledByUser' };
  if (job.status === 'Failed' && job.errorCode && CONCURRENT_OPERATION_CODES.includes(job.errorCode)) {
    return { raise: false, reason: 'OperationAlreadyInProgress' };
  }
  if (
    job.status === 'Failed' && job.workloadType === 'AzureVM' && job.operation === 'Backup' &&
    job.errorCode === VM_NOT_FOUND_CODE
  ) {
    return { raise: false, reason: 'VmNotFound' };
  }
  const match = scenarioFor(job);
  if (!match) return { raise: false, reason: 'NoMatchingScenario' };
  return {
    raise: true,
    ...match,
    destructive: DESTRUCTIVE_SCENARIOS.includes(match.scenario),
    consolidate: job.workloadType === 'AzureWorkload' && job.trigger === 'Scheduled',
  };
}

/**
 * The root-cause key under which scheduled AzureWorkload occurrences are consolidated while an
 * Active alert exists; null means one alert per job.
 */
export function consolidationKey(
  job: { vaultId: string; entityName: string; errorCode?: string | null },
  decision: { scenario: Scenario; consolidate: boolean },
): string | null {
  if (!decision.consolidate) return null;
  return JSON.stringify([job.vaultId, job.entityName, decision.scenario, job.errorCode ?? '']);
}
