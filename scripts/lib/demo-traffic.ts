// What the demo sends: three vaults and a stream of jobs that looks like a real backup estate,
// with realistic error codes, including those that by design raise no alert (§2.2).
import type { Operation, WorkloadType } from '../../domain/types';

export interface DemoVault {
  id: string;
  body: { name: string; subscriptionId: string; contacts: { owners: string[]; admins: string[]; coAdmins: string[] } };
  settings: { enabled: boolean; recipients: string[]; frequency: 'PerAlert' | 'HourlyDigest' } | null;
  /** Share of the job stream. */
  weight: number;
}

export const DEMO_VAULTS: DemoVault[] = [
  {
    id: 'demo-contoso-prod', weight: 0.5,
    body: { name: 'Contoso production', subscriptionId: '6a2f4e1c-93b8-4d07-8e5a-c1b7d3f9a024', contacts: { owners: ['owner@contoso.com'], admins: ['it-ops@contoso.com'], coAdmins: [] } },
    settings: { enabled: true, recipients: ['backup-alerts@contoso.com'], frequency: 'PerAlert' },
  },
  {
    id: 'demo-fabrikam-dr', weight: 0.3,
    body: { name: 'Fabrikam disaster recovery', subscriptionId: '0d9c3b7a-1e2f-4a5b-8c6d-7e8f9a0b1c2d', contacts: { owners: ['owner@fabrikam.com'], admins: [], coAdmins: ['dr-team@fabrikam.com'] } },
    settings: { enabled: true, recipients: ['dr-digest@fabrikam.com'], frequency: 'HourlyDigest' },
  },
  {
    id: 'demo-tailspin-dev', weight: 0.2,
    body: { name: 'Tailspin dev/test', subscriptionId: '5b4a3c2d-6e7f-4081-92a3-b4c5d6e7f809', contacts: { owners: ['owner@tailspin.com'], admins: [], coAdmins: [] } },
    settings: null,
  },
];

type Monitored = Exclude<WorkloadType, 'DPM' | 'MABS'>;

const ITEMS: Record<Monitored, string[]> = {
  AzureVM: ['vm-web-01', 'vm-web-02', 'vm-sql-prod-01', 'vm-app-03', 'vm-jumpbox'],
  AzureFiles: ['stcontosofiles/finance', 'stcontosofiles/hr-share', 'stfabrikam/engineering'],
  AzureWorkload: ['sql-prod-01/SalesDb', 'sql-prod-02/CRM', 'sap-hana-01/HDB'],
  MAB: ['fs-branch-paris', 'fs-branch-lyon', 'laptop-ceo'],
};

/** [code, message]; the codes marked below raise no alert by design. */
const FAILURES: Record<Monitored, Array<[string, string]>> = {
  AzureVM: [
    ['UserErrorGuestAgentStatusUnavailable', 'The VM agent is unable to communicate with the Azure Backup service.'],
    ['ExtensionSnapshotFailedNoNetwork', 'The snapshot failed: the virtual machine has no network connectivity.'],
    ['UserErrorKeyvaultPermissionsNotConfigured', 'The Backup service has no permission on the key vault of the encrypted VM.'],
    ['UserErrorVmNotFoundV2', 'The virtual machine no longer exists.'], // no alert
    ['UserErrorBackupOperationInProgress', 'Another backup of this item is in progress.'], // no alert
  ],
  AzureFiles: [
    ['UserErrorStorageAccountNotFound', 'The storage account was not found: it was deleted or moved.'],
    ['UserErrorFileShareEndpointUnreachable', 'The file share endpoint of the storage account is unreachable.'],
    ['SystemBackupOperationInProgress', 'A backup of this file share is already running.'], // no alert
  ],
  AzureWorkload: [
    ['UserErrorSQLNoSysadminMembership', 'The backup service account is not a sysadmin on the SQL instance.'],
    ['UserErrorOpeningSQLConnection', 'Azure Backup could not open a connection to the SQL instance.'],
    ['UserErrorBackupOperationInProgress', 'Another backup of this database is in progress.'], // no alert
  ],
  MAB: [
    ['UserErrorShadowCopyCreationFailed', 'The Volume Shadow Copy Service could not create a snapshot of D:.'],
    ['CloudServiceNotReachable', 'The agent could not reach the Azure Backup service.'],
  ],
};

const OPERATIONS: Array<[Operation, number]> = [
  ['Backup', 0.72], ['Restore', 0.1], ['ConfigureBackup', 0.1], ['StopProtectionRetainData', 0.04],
  ['StopProtectionDeleteData', 0.02], ['DeleteBackupData', 0.02],
];

export interface StartBody {
  workloadType: WorkloadType;
  operation: Operation;
  trigger: 'Scheduled' | 'User';
  entityName: string;
}
export type Outcome =
  | { kind: 'cancel' }
  | { kind: 'complete'; body: { status: 'Completed' | 'CompletedWithWarnings' | 'Failed'; errorCode?: string; errorMessage?: string; warnings?: string[] } };

export interface PlannedJob {
  vaultId: string;
  start: StartBody;
  outcome: Outcome;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
function weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
  let roll = Math.random() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, w] of entries) if ((roll -= w) < 0) return value;
  return entries[entries.length - 1]![0];
}

function outcomeFor(workload: Monitored, operation: Operation): Outcome {
  const roll = Math.random();
  if (roll < 0.04) return { kind: 'cancel' };
  if (roll < 0.14) {
    const [errorCode, errorMessage] = pick(FAILURES[workload]);
    return { kind: 'complete', body: { status: 'Failed', errorCode, errorMessage } };
  }
  if (workload === 'MAB' && operation === 'Backup' && roll < 0.2) {
    return { kind: 'complete', body: { status: 'CompletedWithWarnings', warnings: ['3 files were skipped: access denied (C:\\pagefile.sys, …)'] } };
  }
  return { kind: 'complete', body: { status: 'Completed' } };
}

/** One job of the general stream; about 2 % are DPM jobs, which the API refuses with a 422. */
export function randomJob(): PlannedJob {
  const vaultId = weighted(DEMO_VAULTS.map((v) => [v.id, v.weight] as const));
  if (Math.random() < 0.02) {
    return { vaultId, start: { workloadType: 'DPM', operation: 'Backup', trigger: 'Scheduled', entityName: 'dpm-01/Exchange' }, outcome: { kind: 'complete', body: { status: 'Completed' } } };
  }
  const workloadType = pick(Object.keys(ITEMS) as Monitored[]);
  const operation = weighted(OPERATIONS);
  // Scheduled AzureWorkload jobs come from the log-backup stream below; user ones are listed.
  const trigger = workloadType === 'AzureWorkload' || operation !== 'Backup' ? 'User' : pick(['Scheduled', 'Scheduled', 'User'] as const);
  return { vaultId, start: { workloadType, operation, trigger, entityName: pick(ITEMS[workloadType]) }, outcome: outcomeFor(workloadType, operation) };
}

/**
 * Scheduled SQL log backups of the production vault: SalesDb's log chain is broken, so most of its
 * backups fail with the same code and fold into one consolidated alert; InventoryDb is healthy.
 */
export function logBackups(): PlannedJob[] {
  const start = (entityName: string): StartBody => ({ workloadType: 'AzureWorkload', operation: 'Backup', trigger: 'Scheduled', entityName });
  const broken: Outcome = Math.random() < 0.85
    ? { kind: 'complete', body: { status: 'Failed', errorCode: 'UserErrorSQLLSNValidationFailure', errorMessage: 'The log chain is broken: this log backup does not follow the last backup of SalesDb.' } }
    : { kind: 'complete', body: { status: 'Completed' } };
  return [
    { vaultId: DEMO_VAULTS[0]!.id, start: start('sql-prod-01/SalesDb'), outcome: broken },
    { vaultId: DEMO_VAULTS[0]!.id, start: start('sql-prod-01/InventoryDb'), outcome: { kind: 'complete', body: { status: 'Completed' } } },
  ];
}
