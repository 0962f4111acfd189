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
  'BackupMissed',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const ALERT_STATUSES = ['Active', 'Acknowledged', 'Inactive'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
/** "Open" (§2.4): every rule that asks whether an alert is still alive uses this set, SQL included. */
export const OPEN_ALERT_STATUSES = ['Active', 'Acknowledged'] as const satisfies readonly AlertStatus[];
export const isOpenStatus = (status: string): boolean => (OPEN_ALERT_STATUSES as readonly string[]).includes(status);

export const RESOLUTIONS = ['Manual', 'AutoResolved'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** Severity order, worst first; a floor admits its own severity and every worse one. */
export const severityRank = (severity: Severity): number => SEVERITIES.indexOf(severity);
export const meetsFloor = (severity: Severity, floor: Severity): boolean => severityRank(severity) <= severityRank(floor);

export const ROLES = ['Reader', 'Service', 'Operator', 'Admin'] as const;
export type Role = (typeof ROLES)[number];

export const PROTECTION_STATES = ['Protected', 'Stopped'] as const;
export type Protection = (typeof PROTECTION_STATES)[number];
export const ITEM_HEALTHS = ['Healthy', 'Warning', 'Critical', 'Unknown'] as const;
export type ItemHealth = (typeof ITEM_HEALTHS)[number];

export const CHANNELS = ['email', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];
export const WEBHOOK_FORMATS = ['standard', 'slack', 'teams'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];
export const WEBHOOK_EVENTS = ['alert.raised', 'alert.acknowledged', 'alert.resolved', 'test'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const DELIVERY_STATUSES = ['Pending', 'Delivered', 'Failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const ALERT_HISTORY_ACTIONS = [
  'Raised', 'Occurred', 'Acknowledged', 'Inactivated', 'AutoResolved', 'Suppressed', 'Notified',
] as const;
export type AlertHistoryAction = (typeof ALERT_HISTORY_ACTIONS)[number];

export const AUDIT_ACTIONS = [
  'vault.updated', 'settings.updated', 'alert.acknowledged', 'alert.inactivated', 'webhook.created',
  'webhook.deleted', 'silence.created', 'silence.deleted', 'policy.updated', 'policy.deleted',
  'token.created', 'token.revoked',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

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
