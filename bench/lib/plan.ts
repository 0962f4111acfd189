// The mixed job population of the lifecycle phase: deterministic (seeded), so runs compare.
import { randomUUID } from 'node:crypto';
import { evaluateAlert } from '../../domain/alert-rules';
import type { CompletionStatus, Operation, Trigger, WorkloadType } from '../../domain/types';

/** mulberry32: small, fast, good enough to shuffle a workload mix. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, table: ReadonlyArray<readonly [T, number]>): T {
  const total = table.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [value, weight] of table) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return table[table.length - 1]![0];
}

export const VAULTS = 20;
export const vaultIdOf = (index: number) => `bench-${String(index).padStart(2, '0')}`;
/** Vaults 0–9 email each alert at once; 10–19 collect alerts for the digest. */
export const isPerAlertVault = (index: number) => index < VAULTS / 2;

export interface PlannedJob {
  vaultIndex: number;
  vaultId: string;
  jobId: string;
  workloadType: WorkloadType;
  operation: Operation;
  trigger: Trigger;
  entityName: string;
  outcome: 'cancel' | { status: CompletionStatus; errorCode?: string; errorMessage?: string; warnings?: string[] };
  /** What the alert rules will decide, so the bench knows which jobs to watch. */
  raisesAlert: boolean;
  destructive: boolean;
}

const WORKLOAD_MIX = [['AzureVM', 40], ['AzureFiles', 20], ['AzureWorkload', 25], ['MAB', 15]] as const;
const OPERATION_MIX = [['Backup', 86], ['Restore', 6], ['ConfigureBackup', 5], ['StopProtectionRetainData', 2], ['DeleteBackupData', 1]] as const;
const FAILURE_CODES = [
  ['UserErrorGuestAgentStatusUnavailable', 40], ['ExtensionSnapshotFailedNoNetwork', 30], ['UserErrorKeyVaultPermissionsNotConfigured', 20],
  ['UserErrorBackupOperationInProgress', 10], // raises no alert (§2.2)
] as const;

/** 10% Failed, 2% cancelled, 5% completed with warnings, the rest completed. */
export function planJobs(count: number, seed: number): PlannedJob[] {
  const random = rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const vaultIndex = i % VAULTS;
    const workloadType = pick(random, WORKLOAD_MIX);
    const operation = pick(random, OPERATION_MIX);
    const trigger: Trigger = random() < 0.8 ? 'Scheduled' : 'User';
    const entityName = `${workloadType === 'AzureWorkload' ? 'sqldb' : workloadType === 'AzureFiles' ? 'share' : 'vm'}-${Math.floor(random() * 200)}`;
    const roll = random();
    const outcome: PlannedJob['outcome'] =
      roll < 0.10 ? { status: 'Failed', errorCode: pick(random, FAILURE_CODES), errorMessage: 'The backup extension reported an error.' }
      : roll < 0.12 ? 'cancel'
      : roll < 0.17 ? { status: 'CompletedWithWarnings', warnings: ['Some files were skipped.'] }
      : { status: 'Completed' };
    const status = outcome === 'cancel' ? 'Cancelled' : outcome.status;
    const decision = evaluateAlert({ workloadType, operation, trigger, status, errorCode: outcome === 'cancel' ? null : outcome.errorCode ?? null });
    return {
      vaultIndex, vaultId: vaultIdOf(vaultIndex), jobId: randomUUID(), workloadType, operation, trigger, entityName, outcome,
      raisesAlert: decision.raise, destructive: decision.raise && decision.destructive,
    };
  });
}
