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
  status: 'Active',
  workloadType: 'AzureWorkload',
  entityName: 'sql-prod-01/SalesDb',
  jobId: JOB_ID,
  latestJobId: LATEST_JOB_ID,
  occurrences: 3,
  errorCode: completeJobBody.errorCode,
  errorMessage: completeJobBody.errorMessage,
  raisedAt: '2025-03-11T01:30:04.112Z',
  lastOccurredAt: '2025-03-11T02:03:12.480Z',
  inactivatedAt: null,
  inactivatedBy: null,
} as const;

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
