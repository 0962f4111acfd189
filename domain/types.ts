// The vocabulary of §2: every enum is a const tuple so that zod schemas, the
// database and the exhaustive rule tables are all generated from one list.

export const WORKLOADS = ['AzureVM', 'AzureFiles', 'AzureWorkload', 'MAB', 'DPM', 'MABS'] as const;
export type WorkloadType = (typeof WORKLOADS)[number];

export const OPERATIONS = [
  'ConfigureBackup',
  'Backup',
  'Restore',
  'StopProtectionRetainData',
  'StopProtectionDeleteData',
  'DeleteBackupData',
] as const;
export type Operation = (typeof OPERATIONS)[number];

export const TRIGGERS = ['Scheduled', 'User'] as const;
export type Trigger = (typeof TRIGGERS)[number];

export const TERMINAL_STATUSES = ['Completed', 'CompletedWithWarnings', 'Failed', 'Cancelled'] as const;
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];
export const JOB_STATUSES = ['InProgress', ...TERMINAL_STATUSES] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Statuses a service may report through `complete` (cancellation has its own endpoint). */
export const COMPLETION_STATUSES = ['Completed', 'CompletedWithWarnings', 'Failed'] as const;
export type CompletionStatus = (typeof COMPLETION_STATUSES)[number];

export const SEVERITIES = ['Critical', 'Warning', 'Informational'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SCENARIOS = [
  'BackupFailure',
  'RestoreFailure',
  'BackupSucceededWithWarnings',
  'StopProtectionRetainData',
  'StopProtectionDeleteData',
  'DeleteBackupData',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const ALERT_STATUSES = ['Active', 'Inactive'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const FREQUENCIES = ['PerAlert', 'HourlyDigest'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export const JOB_TIMED_OUT = 'JobTimedOut';

/** What the rules need to know about a job; timestamps are epoch milliseconds. */
export interface JobFacts {
  workloadType: WorkloadType;
  operation: Operation;
  trigger: Trigger;
  status: JobStatus;
  errorCode?: string | null;
}

export interface Job {
  id: string;
  vaultId: string;
  workloadType: WorkloadType;
  operation: Operation;
  trigger: Trigger;
  entityName: string;
  status: JobStatus;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  warnings: string[];
}
