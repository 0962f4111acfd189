import { describe, expect, it } from 'vitest';
import { consolidationKey, evaluateAlert, type AlertDecision } from '../../domain/alert-rules';
import {
  JOB_STATUSES, OPERATIONS, TRIGGERS, WORKLOADS,
  type JobFacts, type JobStatus, type Operation, type Scenario, type Severity, type Trigger, type WorkloadType,
} from '../../domain/types';

const ERROR_CODES = [
  null,
  'UserErrorBackupOperationInProgress',
  'SystemBackupOperationInProgress',
  'UserErrorVmNotFoundV2',
  'UserErrorSomethingElse',
] as const;
type Code = (typeof ERROR_CODES)[number];

// Oracle: the §2.2 table transcribed as data (which operation, which end states, which workloads),
// and the "no alert" rules as explicit predicates checked in a fixed order.
interface SpecRow { scenario: Scenario; operation: Operation; statuses: JobStatus[]; onlyWorkload?: WorkloadType; severity: Severity }
const SPEC: SpecRow[] = [
  { scenario: 'BackupFailure', operation: 'Backup', statuses: ['Failed'], severity: 'Critical' },
  { scenario: 'RestoreFailure', operation: 'Restore', statuses: ['Failed'], severity: 'Critical' },
  { scenario: 'BackupSucceededWithWarnings', operation: 'Backup', statuses: ['CompletedWithWarnings'], onlyWorkload: 'MAB', severity: 'Warning' },
  { scenario: 'StopProtectionRetainData', operation: 'StopProtectionRetainData', statuses: ['Completed', 'CompletedWithWarnings'], severity: 'Warning' },
  { scenario: 'StopProtectionDeleteData', operation: 'StopProtectionDeleteData', statuses: ['Completed', 'CompletedWithWarnings'], severity: 'Critical' },
  { scenario: 'DeleteBackupData', operation: 'DeleteBackupData', statuses: ['Completed', 'CompletedWithWarnings'], severity: 'Critical' },
];
const ALERTING = new Set<WorkloadType>(['AzureVM', 'AzureFiles', 'AzureWorkload', 'MAB']);
const DESTRUCTIVE = new Set<Scenario>(['StopProtectionDeleteData', 'DeleteBackupData']);
const BUSY_CODES = new Set<Code>(['UserErrorBackupOperationInProgress', 'SystemBackupOperationInProgress']);

function oracle(job: JobFacts & { errorCode: Code }): AlertDecision {
  const { workloadType: w, operation: o, status: s, trigger: t, errorCode: c } = job;
  const suppressions: [boolean, string][] = [
    [s === 'InProgress', 'NotTerminal'],
    [!ALERTING.has(w), 'WorkloadNotAlerting'],
    [s === 'Cancelled', 'CancelledByUser'],
    [s === 'Failed' && BUSY_CODES.has(c), 'OperationAlreadyInProgress'],
    [s === 'Failed' && w === 'AzureVM' && o === 'Backup' && c === 'UserErrorVmNotFoundV2', 'VmNotFound'],
  ];
  const hit = suppressions.find(([applies]) => applies);
  if (hit) return { raise: false, reason: hit[1] } as AlertDecision;
  const rows = SPEC.filter((r) => r.operation === o && r.statuses.includes(s) && (!r.onlyWorkload || r.onlyWorkload === w));
  if (rows.length > 1) throw new Error('spec rows overlap');
  const row = rows[0];
  if (!row) return { raise: false, reason: 'NoMatchingScenario' };
  return {
    raise: true,
    scenario: row.scenario,
    severity: row.severity,
    destructive: DESTRUCTIVE.has(row.scenario),
    consolidate: `${w}/${t}` === 'AzureWorkload/Scheduled',
  };
}

type Case = { workloadType: WorkloadType; operation: Operation; status: JobStatus; trigger: Trigger; errorCode: Code };
const cases: Case[] = WORKLOADS.flatMap((workloadType) =>
  OPERATIONS.flatMap((operation) =>
    JOB_STATUSES.flatMap((status) =>
      TRIGGERS.flatMap((trigger) => ERROR_CODES.map((errorCode) => ({ workloadType, operation, status, trigger, errorCode }))),
    ),
  ),
);
const label = (c: Case) => `${c.workloadType} ${c.operation} ${c.status} ${c.trigger} code=${c.errorCode ?? '-'}`;

describe('evaluateAlert: generated table (§2.2)', () => {
  it('covers every workload × operation × status × trigger × error code', () => {
    expect(cases).toHaveLength(6 * 6 * 5 * 2 * 5);
  });

  it.each(cases.map((c) => [label(c), c] as const))('%s', (_label, job) => {
    expect(evaluateAlert(job)).toEqual(oracle(job));
  });

  it('has the hand-counted totals per outcome', () => {
    const decisions = cases.map((c) => evaluateAlert(c));
    const count = (pred: (d: AlertDecision) => boolean) => decisions.filter(pred).length;
    const reason = (r: string) => (d: AlertDecision) => !d.raise && d.reason === r;
    expect(count((d) => d.raise)).toBe(296);
    expect(count((d) => d.raise && d.destructive)).toBe(160);
    expect(count((d) => d.raise && d.consolidate)).toBe(36);
    expect(count((d) => d.raise && d.severity === 'Warning')).toBe(90);
    expect(count((d) => d.raise && d.severity === 'Informational')).toBe(0);
    expect(count(reason('NotTerminal'))).toBe(360);
    expect(count(reason('WorkloadNotAlerting'))).toBe(480);
    expect(count(reason('CancelledByUser'))).toBe(240);
    expect(count(reason('OperationAlreadyInProgress'))).toBe(96);
    expect(count(reason('VmNotFound'))).toBe(2);
    expect(count(reason('NoMatchingScenario'))).toBe(326);
  });

  it('never raises for DPM or MABS, whatever else holds', () => {
    const raised = cases.filter((c) => c.workloadType === 'DPM' || c.workloadType === 'MABS').filter((c) => evaluateAlert(c).raise);
    expect(raised).toEqual([]);
  });
});

describe('evaluateAlert: spot rows from the spec', () => {
  const job = (over: Partial<JobFacts>): JobFacts => ({
    workloadType: 'AzureVM', operation: 'Backup', trigger: 'Scheduled', status: 'Failed', errorCode: null, ...over,
  });
  it.each([
    ['scheduled AzureVM backup fails', job({}), { raise: true, scenario: 'BackupFailure', severity: 'Critical', destructive: false, consolidate: false }],
    ['user AzureFiles backup fails', job({ workloadType: 'AzureFiles', trigger: 'User' }), { raise: true, scenario: 'BackupFailure', severity: 'Critical', destructive: false, consolidate: false }],
    ['timed-out backup', job({ errorCode: 'JobTimedOut' }), { raise: true, scenario: 'BackupFailure', severity: 'Critical', destructive: false, consolidate: false }],
    ['scheduled AzureWorkload log backup fails', job({ workloadType: 'AzureWorkload' }), { raise: true, scenario: 'BackupFailure', severity: 'Critical', destructive: false, consolidate: true }],
    ['user AzureWorkload backup fails', job({ workloadType: 'AzureWorkload', trigger: 'User' }), { raise: true, scenario: 'BackupFailure', severity: 'Critical', destructive: false, consolidate: false }],
    ['restore fails', job({ operation: 'Restore', trigger: 'User' }), { raise: true, scenario: 'RestoreFailure', severity: 'Critical', destructive: false, consolidate: false }],
    ['MAB backup with warnings', job({ workloadType: 'MAB', status: 'CompletedWithWarnings' }), { raise: true, scenario: 'BackupSucceededWithWarnings', severity: 'Warning', destructive: false, consolidate: false }],
    ['AzureVM backup with warnings', job({ status: 'CompletedWithWarnings' }), { raise: false, reason: 'NoMatchingScenario' }],
    ['stop protection, retain data', job({ operation: 'StopProtectionRetainData', status: 'Completed', trigger: 'User' }), { raise: true, scenario: 'StopProtectionRetainData', severity: 'Warning', destructive: false, consolidate: false }],
    ['stop protection, delete data', job({ operation: 'StopProtectionDeleteData', status: 'Completed', trigger: 'User' }), { raise: true, scenario: 'StopProtectionDeleteData', severity: 'Critical', destructive: true, consolidate: false }],
    ['delete backup data', job({ operation: 'DeleteBackupData', status: 'Completed', trigger: 'User' }), { raise: true, scenario: 'DeleteBackupData', severity: 'Critical', destructive: true, consolidate: false }],
    ['delete backup data that failed', job({ operation: 'DeleteBackupData', status: 'Failed' }), { raise: false, reason: 'NoMatchingScenario' }],
    ['cancelled backup', job({ status: 'Cancelled' }), { raise: false, reason: 'CancelledByUser' }],
    ['another backup running', job({ errorCode: 'UserErrorBackupOperationInProgress' }), { raise: false, reason: 'OperationAlreadyInProgress' }],
    ['system-side backup running', job({ errorCode: 'SystemBackupOperationInProgress' }), { raise: false, reason: 'OperationAlreadyInProgress' }],
    ['VM deleted', job({ errorCode: 'UserErrorVmNotFoundV2' }), { raise: false, reason: 'VmNotFound' }],
    ['VM-not-found code on AzureFiles still alerts', job({ workloadType: 'AzureFiles', errorCode: 'UserErrorVmNotFoundV2' }), { raise: true, scenario: 'BackupFailure', severity: 'Critical', destructive: false, consolidate: false }],
    ['DPM backup fails', job({ workloadType: 'DPM' }), { raise: false, reason: 'WorkloadNotAlerting' }],
    ['still running', job({ status: 'InProgress' }), { raise: false, reason: 'NotTerminal' }],
    ['successful backup', job({ status: 'Completed' }), { raise: false, reason: 'NoMatchingScenario' }],
  ] as const)('%s', (_name, facts, decision) => {
    expect(evaluateAlert(facts)).toEqual(decision);
  });
});

describe('consolidationKey', () => {
  const base = { vaultId: 'vault-1', entityName: 'sql-vm;db1', errorCode: 'UserErrorSqlFailed' as string | null };
  const on = { scenario: 'BackupFailure' as Scenario, consolidate: true };

  it('is the same for the same vault, item, scenario and error code', () => {
    expect(consolidationKey(base, on)).toBe(consolidationKey({ ...base }, { ...on }));
    expect(consolidationKey(base, on)).not.toBeNull();
  });

  it.each([
    ['vault', { ...base, vaultId: 'vault-2' }, on],
    ['item', { ...base, entityName: 'sql-vm;db2' }, on],
    ['scenario', base, { ...on, scenario: 'RestoreFailure' as Scenario }],
    ['error code', { ...base, errorCode: 'UserErrorOther' }, on],
    ['error code present vs absent', { ...base, errorCode: null }, on],
  ])('differs when the %s differs', (_what, job, decision) => {
    expect(consolidationKey(job, decision)).not.toBe(consolidationKey(base, on));
  });

  it('treats a missing and a null error code as the same root cause', () => {
    expect(consolidationKey({ vaultId: 'v', entityName: 'e' }, on)).toBe(consolidationKey({ vaultId: 'v', entityName: 'e', errorCode: null }, on));
  });

  it('cannot be confused by separators inside the parts', () => {
    const a = consolidationKey({ vaultId: 'a|b', entityName: 'c', errorCode: null }, on);
    const b = consolidationKey({ vaultId: 'a', entityName: 'b|c', errorCode: null }, on);
    expect(a).not.toBe(b);
  });

  it('is null for alerts that are not consolidated', () => {
    expect(consolidationKey(base, { ...on, consolidate: false })).toBeNull();
  });

  it('is non-null exactly for the decisions evaluateAlert marks consolidate', () => {
    for (const c of cases) {
      const d = evaluateAlert(c);
      if (!d.raise) continue;
      const key = consolidationKey({ vaultId: 'v', entityName: 'e', errorCode: c.errorCode }, d);
      expect(key === null).toBe(!(c.workloadType === 'AzureWorkload' && c.trigger === 'Scheduled'));
    }
  });
});
