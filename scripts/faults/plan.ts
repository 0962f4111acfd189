// The job mix of the fault suite and, for each kind, what the rules (§2.1–§2.3) say must follow.
// Independent of the product's code on purpose: the suite checks the product against this table.
export type JobKind = 'ok' | 'fail' | 'warn' | 'cancel' | 'busy' | 'repeat' | 'delete' | 'timeout' | 'backup';

export interface KindFacts {
  body: { workloadType: string; operation: string; trigger: string };
  /** What the service reports; 'none' lets the job time out. */
  outcome: { status: string; errorCode?: string } | 'cancel' | 'none';
  finalStatus: string;
  finalErrorCode?: string;
  alert: { scenario: string; severity: string; destructive: boolean; consolidated: boolean } | null;
}

export const KINDS: Record<JobKind, KindFacts> = {
  ok: { body: { workloadType: 'AzureVM', operation: 'Backup', trigger: 'Scheduled' }, outcome: { status: 'Completed' }, finalStatus: 'Completed', alert: null },
  fail: {
    body: { workloadType: 'AzureVM', operation: 'Backup', trigger: 'Scheduled' }, outcome: { status: 'Failed', errorCode: 'UserErrorDiskFull' },
    finalStatus: 'Failed', alert: { scenario: 'BackupFailure', severity: 'Critical', destructive: false, consolidated: false },
  },
  warn: {
    body: { workloadType: 'MAB', operation: 'Backup', trigger: 'User' }, outcome: { status: 'CompletedWithWarnings' },
    finalStatus: 'CompletedWithWarnings', alert: { scenario: 'BackupSucceededWithWarnings', severity: 'Warning', destructive: false, consolidated: false },
  },
  cancel: { body: { workloadType: 'AzureFiles', operation: 'Backup', trigger: 'User' }, outcome: 'cancel', finalStatus: 'Cancelled', alert: null },
  busy: {
    body: { workloadType: 'AzureVM', operation: 'Backup', trigger: 'User' }, outcome: { status: 'Failed', errorCode: 'UserErrorBackupOperationInProgress' },
    finalStatus: 'Failed', alert: null,
  },
  // Same vault, item, scenario and error code: one alert per vault, one occurrence per job.
  repeat: {
    body: { workloadType: 'AzureWorkload', operation: 'Backup', trigger: 'Scheduled' }, outcome: { status: 'Failed', errorCode: 'SqlLogFull' },
    finalStatus: 'Failed', alert: { scenario: 'BackupFailure', severity: 'Critical', destructive: false, consolidated: true },
  },
  delete: {
    body: { workloadType: 'AzureVM', operation: 'DeleteBackupData', trigger: 'User' }, outcome: { status: 'Completed' },
    finalStatus: 'Completed', alert: { scenario: 'DeleteBackupData', severity: 'Critical', destructive: true, consolidated: false },
  },
  // A successful backup of a known item: the fix after a failure, or a watched item's backup.
  backup: { body: { workloadType: 'AzureVM', operation: 'Backup', trigger: 'Scheduled' }, outcome: { status: 'Completed' }, finalStatus: 'Completed', alert: null },
  timeout: {
    body: { workloadType: 'AzureVM', operation: 'Backup', trigger: 'User' }, outcome: 'none',
    finalStatus: 'Failed', finalErrorCode: 'JobTimedOut', alert: { scenario: 'BackupFailure', severity: 'Critical', destructive: false, consolidated: false },
  },
};

// Weights of the mix (out of 20).
const MIX: [JobKind, number][] = [['ok', 6], ['fail', 4], ['warn', 2], ['cancel', 2], ['busy', 1], ['repeat', 3], ['delete', 1], ['timeout', 1]];

export interface PlannedJob {
  index: number;
  vaultId: string;
  jobId: string;
  kind: JobKind;
  entityName: string;
  /** Started twice at once and given two different outcomes at once (a completion and a cancel). */
  duplicate: boolean;
  /** A failure followed by a success of its item once its alert shows: that success resolves it (§2.4). */
  fix?: boolean;
}

/** A deterministic plan: the same profile always yields the same jobs. */
export function planJobs(vaults: string[], count: number, runId: string): PlannedJob[] {
  const wheel = MIX.flatMap(([kind, weight]) => Array<JobKind>(weight).fill(kind));
  return Array.from({ length: count }, (_, index) => {
    const kind = wheel[(index * 7) % wheel.length]!;
    const vaultId = vaults[index % vaults.length]!;
    // Distinct items except for consolidated repeats, so auto-resolution never pairs two jobs.
    const entityName = kind === 'repeat' ? 'sql-01;db-log' : `${kind}-item-${index}`;
    const duplicate = kind === 'ok' && index % 3 === 0;
    const fix = kind === 'fail' && index % 3 !== 0;
    return { index, vaultId, jobId: `${runId}-${String(index).padStart(4, '0')}`, kind, entityName, duplicate, fix };
  });
}
