import type { Trigger, WorkloadType } from './types';

/** Workloads the vault does not monitor at all (§2.1): starting their jobs is refused. */
export const UNMONITORED_WORKLOADS: readonly WorkloadType[] = ['DPM', 'MABS'];

export type Admission =
  | { admitted: true }
  | { admitted: false; reason: 'WorkloadNotMonitored' };

export function admitJob(workloadType: WorkloadType): Admission {
  return UNMONITORED_WORKLOADS.includes(workloadType)
    ? { admitted: false, reason: 'WorkloadNotMonitored' }
    : { admitted: true };
}

export type Visibility =
  | { listed: true; reason: 'Monitored' | 'UserTriggeredWorkload' }
  | { listed: false; reason: 'WorkloadNotMonitored' | 'ScheduledWorkloadJob' };

/**
 * Whether a job appears in vault job lists. Scheduled AzureWorkload jobs (log backups every
 * 15 minutes) would drown the list, so they are tracked and may alert but are never listed.
 */
export function jobVisibility(job: { workloadType: WorkloadType; trigger: Trigger }): Visibility {
  if (UNMONITORED_WORKLOADS.includes(job.workloadType)) return { listed: false, reason: 'WorkloadNotMonitored' };
  if (job.workloadType === 'AzureWorkload') {
    return job.trigger === 'User'
      ? { listed: true, reason: 'UserTriggeredWorkload' }
      : { listed: false, reason: 'ScheduledWorkloadJob' };
  }
  return { listed: true, reason: 'Monitored' };
}
