// The one place that names workflows, their ids, messages and inputs. The API, the client
// helper, the worker and the workflows all import it, so a rename cannot drift apart.
import { defineSearchAttributeKey, SearchAttributeType, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type {
  CompletionStatus, Frequency, Job, Operation, Scenario, Severity, Trigger, WorkloadType,
} from '../domain/types';

export const BACKUP_JOB_WORKFLOW = 'backupJob';
export const VAULT_NOTIFICATIONS_WORKFLOW = 'vaultNotifications';
export const DELIVERY_WORKFLOW = 'delivery';
/** Versions every workflow change that moved notifications onto the delivery log. */
export const DELIVERY_LOG_PATCH = 'delivery-log';
/** backupJob raises and dispatches in one local activity, then upserts both search attributes at once. */
export const RAISE_AND_DISPATCH_PATCH = 'raise-and-dispatch';
/** backupJob records a job that raises nothing and auto-resolves with it in one local activity. */
export const FINISH_AND_RESOLVE_PATCH = 'finish-and-resolve';

export const jobWorkflowId = (vaultId: string, jobId: string) => `backup-job/${vaultId}/${jobId}`;
export const vaultNotificationsWorkflowId = (vaultId: string) => `vault-notifications/${vaultId}`;
export const deliveryWorkflowId = (deliveryId: string) => `delivery/${deliveryId}`;

export const searchAttributes = {
  vaultId: defineSearchAttributeKey('VaultId', SearchAttributeType.KEYWORD),
  workloadType: defineSearchAttributeKey('WorkloadType', SearchAttributeType.KEYWORD),
  jobOperation: defineSearchAttributeKey('JobOperation', SearchAttributeType.KEYWORD),
  jobStatus: defineSearchAttributeKey('JobStatus', SearchAttributeType.KEYWORD),
  alertSeverity: defineSearchAttributeKey('AlertSeverity', SearchAttributeType.KEYWORD),
} as const;
export const SEARCH_ATTRIBUTE_NAMES = Object.values(searchAttributes).map((key) => key.name);

// ---- backupJob -------------------------------------------------------------------------------

export interface BackupJobInput {
  vaultId: string;
  jobId: string;
  workloadType: WorkloadType;
  operation: Operation;
  trigger: Trigger;
  entityName: string;
  /** ISO 8601; the timeout counts from here. */
  startedAt: string;
  timeoutMs: number;
}

export interface CompleteJobSignal {
  status: CompletionStatus;
  errorCode?: string | null;
  errorMessage?: string | null;
  warnings?: string[];
  /** Stamped by the caller so that a completion queued while workers are down keeps its time. */
  endedAt: string;
}

export interface CancelJobSignal {
  endedAt: string;
}

export const completeJobSignal = defineSignal<[CompleteJobSignal]>('completeJob');
export const cancelJobSignal = defineSignal<[CancelJobSignal]>('cancelJob');
export const getJobQuery = defineQuery<Job>('getJob');

// ---- silenceWindow (§2.7) ---------------------------------------------------------------------

export const SILENCE_WORKFLOW = 'silenceWindow';
export const silenceWorkflowId = (silenceId: string) => `silence/${silenceId}`;

export interface SilenceWindowInput {
  vaultId: string;
  silenceId: string;
}

/** The silence was deleted: release what it holds now and finish. */
export const releaseSilenceSignal = defineSignal('releaseSilence');

// ---- vaultNotifications ----------------------------------------------------------------------

/** What the vault's workflow needs to know about an alert; the alert row itself lives in Postgres. */
export interface RaisedAlert {
  alertId: string;
  scenario: Scenario;
  severity: Severity;
  destructive: boolean;
  /** False when the occurrence was folded into an existing open alert (no email). */
  isNew: boolean;
  raisedAt: string;
  /** What raising planned, to dispatch after the commit; absent in results recorded before the delivery log. */
  deliveryIds?: string[];
  /** False when nothing is owed now: a repeat, a suppressed alert, or one raised already resolved. */
  notify?: boolean;
  /** Raised under an active silence (§2.7): notified when the silence releases it. */
  suppressed?: boolean;
  /** Raised already resolved: a success of the item that ended later was processed first. */
  resolved?: boolean;
}

export interface InactivateAlertSignal {
  alertId: string;
  by: string | null;
  at: string;
}

export interface NotificationSettings {
  enabled: boolean;
  recipients: string[];
  frequency: Frequency;
}

export interface UpdateSettingsSignal {
  settings: NotificationSettings;
  by: string | null;
  /** Lets the API wait until the read model shows exactly this change. */
  requestId: string;
}

export interface VaultNotificationsInput {
  vaultId: string;
  /** Only runs started before the delivery log read it; windows now live in Postgres. */
  digestIntervalMs?: number;
  /** Events per run before continuing as new, when the server has not suggested it earlier. */
  maxHistoryEvents?: number;
  /** Carried across continue-as-new. */
  state?: unknown;
}

export const alertRaisedSignal = defineSignal<[RaisedAlert]>('alertRaised');
export const inactivateAlertSignal = defineSignal<[InactivateAlertSignal]>('inactivateAlert');
export const updateSettingsSignal = defineSignal<[UpdateSettingsSignal]>('updateSettings');

// ---- backupWatch (§2.5 missed backups) ---------------------------------------------------------

export const BACKUP_WATCH_WORKFLOW = 'backupWatch';
export const backupWatchWorkflowId = (vaultId: string) => `backup-watch/${vaultId}`;

export interface BackupWatchInput {
  vaultId: string;
  /** Sweeps per run before continuing as new, when the server has not suggested it earlier. */
  maxHistoryEvents?: number;
}

/** "A deadline may have moved earlier: read the next one again." Carries nothing: Postgres has it. */
export const wakeBackupWatchSignal = defineSignal<[]>('wakeBackupWatch');

/** A digest window of the vault ends then: the workflow wakes up and plans its digest. */
export const digestDueSignal = defineSignal<[{ windowEndMs: number }]>('digestDue');

export interface DeliveryInput {
  deliveryId: string;
}

export interface DeliveryResult {
  status: 'Delivered' | 'Failed' | 'Pending';
  attempts: number;
}

// ---- start options (used by the API, activities and the sweeper) ----------------------------

/** Start options of one delivery's workflow: its id is the delivery's, so a second start is refused. */
export function deliveryStart(taskQueue: string, deliveryId: string) {
  return {
    workflowId: deliveryWorkflowId(deliveryId),
    taskQueue,
    args: [{ deliveryId }] as [{ deliveryId: string }],
    // A running or completed one is never run again; one that failed or was terminated may be.
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
    staticSummary: `Delivery ${deliveryId}`,
  };
}

/** The vault workflow's start (for signal-with-start); settings and windows live in Postgres. */
export function vaultWorkflowStart(taskQueue: string, vaultId: string) {
  return {
    workflowId: vaultNotificationsWorkflowId(vaultId),
    taskQueue,
    args: [{ vaultId }] as [{ vaultId: string }],
    staticSummary: `Digests of vault ${vaultId}`,
    typedSearchAttributes: [{ key: searchAttributes.vaultId, value: vaultId }],
  };
}

