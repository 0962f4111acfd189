// Example values for the OpenAPI document. One realistic story ties them together: a production
// vault whose SQL Server log backups keep failing on the same database, so the alert consolidates.
// tests/integration/openapi.test.ts checks each one against the schema it illustrates.

export const VAULT_ID = 'contoso-prod-vault';
export const JOB_ID = '3f0c9a6e-2d4b-4c7e-9a51-7be2c1d8f4a0';
export const LATEST_JOB_ID = 'b7d2e1f4-8c3a-4e59-a0d6-51c9f2e87b13';
export const ALERT_ID = '9e4b7c21-5f3d-4a8e-b6c0-2d1f8a7e3c95';

export const vaultBody = {
  name: 'Contoso production vault',
  subscriptionId: '6a2f4e1c-93b8-4d07-8e5a-c1b7d3f9a024',
  contacts: {
    owners: ['backup-owners@contoso.com'],
    admins: ['it-ops@contoso.com'],
    coAdmins: ['dba-team@contoso.com'],
  },
};

export const vault = {
  id: VAULT_ID,
  ...vaultBody,
  autoResolve: true,
  backupPolicy: { expectedEvery: '24h', grace: '2h' },
  createdAt: '2025-03-02T08:15:00.000Z',
  updatedAt: '2025-03-10T16:42:31.207Z',
};

export const startJobBody = {
  jobId: LATEST_JOB_ID,
  workloadType: 'AzureWorkload',
  operation: 'Backup',
  trigger: 'User',
  entityName: 'sql-prod-01/SalesDb',
  startedAt: '2025-03-11T02:00:00.000Z',
} as const;

export const completeJobBody = {
  status: 'Failed',
  errorCode: 'UserErrorSQLLSNValidationFailure',
  errorMessage: 'The log chain is broken: the log backup does not follow the last backup of SalesDb.',
} as const;

export const job = {
  id: LATEST_JOB_ID,
  vaultId: VAULT_ID,
  workloadType: 'AzureWorkload',
  operation: 'Backup',
  trigger: 'User',
  entityName: 'sql-prod-01/SalesDb',
  status: 'Failed',
  startedAt: '2025-03-11T02:00:00.000Z',
  endedAt: '2025-03-11T02:03:12.480Z',
  durationMs: 192_480,
  errorCode: completeJobBody.errorCode,
  errorMessage: completeJobBody.errorMessage,
  warnings: [],
} as const;

export const startedJob = {
  ...job,
  status: 'InProgress',
  endedAt: null,
  durationMs: null,
  errorCode: null,
  errorMessage: null,
} as const;

export const alert = {
  id: ALERT_ID,
  vaultId: VAULT_ID,
  scenario: 'BackupFailure',
  severity: 'Critical',
  workloadType: 'AzureWorkload',
  entityName: 'sql-prod-01/SalesDb',
  jobId: JOB_ID,
  latestJobId: LATEST_JOB_ID,
  occurrences: 3,
  errorCode: completeJobBody.errorCode,
  errorMessage: completeJobBody.errorMessage,
  raisedAt: '2025-03-11T01:30:04.112Z',
  lastOccurredAt: '2025-03-11T02:03:12.480Z',
  acknowledgedAt: '2025-03-11T01:42:10.031Z',
  acknowledgedBy: 'oncall-dba',
  inactivatedAt: null,
  inactivatedBy: null,
  resolution: null,
  resolvedByJobId: null,
  suppressed: false,
  status: 'Acknowledged',
} as const;

export const alertHistory = {
  items: [
    { at: '2025-03-11T01:30:04.112Z', action: 'Raised', by: 'system', jobId: JOB_ID },
    { at: '2025-03-11T01:30:05.020Z', action: 'Notified', by: 'system', channel: 'email', target: 'backup-alerts@contoso.com', deliveryId: '0f6e2d4c-8a1b-4c3d-9e5f-7a6b8c9d0e1f' },
    { at: '2025-03-11T01:42:10.031Z', action: 'Acknowledged', by: 'oncall-dba', comment: 'Looking into the log chain with the DBA team' },
    { at: '2025-03-11T02:03:12.480Z', action: 'Occurred', by: 'system', jobId: LATEST_JOB_ID },
  ],
};

export const notificationSettings = {
  enabled: true,
  recipients: ['backup-alerts@contoso.com', { address: 'oncall-dba@contoso.com', minSeverity: 'Critical' }],
  frequency: 'PerAlert',
  minSeverity: 'Informational',
  notifyOnResolved: false,
  weeklyReport: false,
} as const;

export const alertSummary = { active: { Critical: 2, Warning: 1, Informational: 0 } };

export const problem = {
  type: 'https://backup-monitor.dev/problems/conflict',
  title: 'Conflict',
  status: 409,
  detail: `Job ${LATEST_JOB_ID} has already ended (Failed); a terminal job never changes.`,
};

// What encodeCursor makes of the item's position: opaque to clients, passed back unchanged.
const cursorAt = (at: string, id: string) => Buffer.from(JSON.stringify([at, id])).toString('base64url');

export const pageOf = <T extends { id: string }>(item: T, at: string) => ({ items: [item], nextCursor: cursorAt(at, item.id) });

const day = (date: string, Completed: number, CompletedWithWarnings: number, Failed: number, Cancelled: number) =>
  ({ day: date, Completed, CompletedWithWarnings, Failed, Cancelled });

export const report = {
  vaultId: VAULT_ID,
  from: '2025-03-03T00:00:00.000Z',
  to: '2025-03-10T00:00:00.000Z',
  jobsByDay: [
    day('2025-03-03', 118, 2, 3, 0), day('2025-03-04', 120, 1, 1, 1), day('2025-03-05', 117, 3, 4, 0), day('2025-03-06', 121, 0, 2, 0),
    day('2025-03-07', 119, 2, 2, 1), day('2025-03-08', 122, 1, 0, 0), day('2025-03-09', 120, 0, 1, 0),
  ],
  successRate: 0.9812,
  itemsByHealth: { Healthy: 41, Warning: 2, Critical: 3, Unknown: 1 },
  missedItems: [{ workloadType: 'AzureVM', entityName: 'vm-legacy-07', misses: 2 }],
  alertsBySeverity: { Critical: 9, Warning: 4, Informational: 0 },
  alertsByScenario: { BackupFailure: 7, BackupSucceededWithWarnings: 4, BackupMissed: 2 },
  meanTimeToResolveMs: 5_420_000,
  topFailingItems: [
    { workloadType: 'AzureWorkload', entityName: 'sql-prod-01/SalesDb', failures: 6 },
    { workloadType: 'AzureVM', entityName: 'vm-web-02', failures: 3 },
  ],
};
