// Sample props for previews and tests. They include hostile text on purpose (markup in an error
// message, a line break in an item name) so that a preview shows what escaping actually does.
import type { VaultReport } from '../../domain/report';
import type { AlertData, EmailPropsByKind } from '../types';

export const SAMPLE_PUBLIC_URL = 'http://localhost:3000';

export function sampleAlert(overrides: Partial<AlertData> = {}): AlertData {
  return {
    id: '3f1c2a9e-4b7d-4c1e-9a52-6d0f8e2b7c11',
    vaultId: 'prod',
    scenario: 'BackupFailure',
    severity: 'Critical',
    status: 'Active',
    workloadType: 'AzureVM',
    entityName: 'vm-01',
    jobId: 'job-7d2f',
    latestJobId: 'job-7d2f',
    occurrences: 1,
    errorCode: 'UserErrorGuestAgentStatusUnavailable',
    errorMessage: 'VM agent is unable to communicate with the Azure Backup service. <script>alert(1)</script>',
    raisedAt: '2024-05-01T10:17:42.123Z',
    lastOccurredAt: '2024-05-01T10:17:42.123Z',
    inactivatedAt: null,
    inactivatedBy: null,
    ...overrides,
  };
}

const scenarios = [
  { scenario: 'BackupFailure', severity: 'Critical', workloadType: 'AzureVM' },
  { scenario: 'RestoreFailure', severity: 'Critical', workloadType: 'AzureFiles' },
  { scenario: 'BackupSucceededWithWarnings', severity: 'Warning', workloadType: 'MAB' },
  { scenario: 'StopProtectionRetainData', severity: 'Warning', workloadType: 'AzureWorkload' },
] as const;

/** `count` alerts spread over the 10:00–11:00 window, cycling through the scenarios. */
export function sampleDigestAlerts(count: number): AlertData[] {
  return Array.from({ length: count }, (_, index) => {
    const pick = scenarios[index % scenarios.length]!;
    const second = String(index % 60).padStart(2, '0');
    return sampleAlert({
      ...pick,
      id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      entityName: `item-${String(index + 1).padStart(3, '0')}`,
      jobId: `job-${index + 1}`,
      latestJobId: `job-${index + 1}`,
      errorCode: pick.severity === 'Critical' ? 'UserErrorDiskSnapshotFailed' : null,
      errorMessage: pick.severity === 'Critical' ? 'Snapshot of the disk failed.' : null,
      raisedAt: `2024-05-01T10:${String(Math.floor(index / 60) % 60).padStart(2, '0')}:${second}.000Z`,
    });
  });
}

/** A week of a busy vault: the same shape GET …/report answers. */
export function sampleReport(): VaultReport {
  const days = ['2024-04-29', '2024-04-30', '2024-05-01', '2024-05-02', '2024-05-03', '2024-05-04', '2024-05-05'];
  return {
    vaultId: 'prod',
    from: '2024-04-29T00:00:00.000Z',
    to: '2024-05-06T00:00:00.000Z',
    jobsByDay: days.map((day, i) => ({ day, Completed: 110 + ((i * 7) % 13), CompletedWithWarnings: i % 3, Failed: [3, 1, 6, 0, 2, 0, 1][i]!, Cancelled: i === 4 ? 1 : 0 })),
    successRate: 0.9826,
    itemsByHealth: { Healthy: 41, Warning: 2, Critical: 3, Unknown: 1 },
    missedItems: [{ workloadType: 'AzureVM', entityName: 'vm-legacy-07', misses: 2 }],
    alertsBySeverity: { Critical: 9, Warning: 4, Informational: 0 },
    alertsByScenario: { BackupFailure: 7, BackupSucceededWithWarnings: 4, BackupMissed: 2 },
    meanTimeToResolveMs: 5_420_000,
    topFailingItems: [
      { workloadType: 'AzureWorkload', entityName: 'sql-prod-01/SalesDb', failures: 6 },
      { workloadType: 'AzureVM', entityName: 'vm-web-02 <b>bold</b>', failures: 3 },
    ],
  };
}

export const SAMPLES: EmailPropsByKind = {
  alert: {
    vault: { id: 'prod', name: 'Production vault' },
    alert: sampleAlert({ entityName: 'vm-01\r\nBcc: attacker@example.com' }),
  },
  digest: {
    vault: { id: 'prod', name: 'Production vault' },
    windowStart: '2024-05-01T10:00:00.000Z',
    windowEnd: '2024-05-01T11:00:00.000Z',
    alerts: sampleDigestAlerts(57),
  },
  resolved: {
    vault: { id: 'prod', name: 'Production vault' },
    alert: { ...sampleAlert(), status: 'Inactive', inactivatedAt: '2024-05-01T10:42:00.000Z', inactivatedBy: 'system' },
  },
  welcome: {
    vault: { id: 'prod', name: 'Production vault' },
    recipient: 'backup-team@example.com',
    frequency: 'HourlyDigest',
    digestIntervalMs: 3_600_000,
  },
  destructive: {
    vault: { id: 'prod', name: 'Production vault', subscriptionId: '00000000-1111-2222-3333-444444444444' },
    alert: {
      ...sampleAlert(),
      scenario: 'DeleteBackupData',
      severity: 'Critical',
      workloadType: 'AzureFiles',
      entityName: 'share-finance',
      errorCode: null,
      errorMessage: null,
    },
  },
  report: {
    vault: { id: 'prod', name: 'Production vault' },
    report: sampleReport(),
  },
};
