import { describe, expect, it } from 'vitest';
import { OPERATIONS, TRIGGERS, WORKLOADS, type Operation, type Trigger, type WorkloadType } from '../../domain/types';
import { admitJob, jobVisibility } from '../../domain/visibility';

// The oracle is spelled out as explicit sets of "workload/trigger" strings taken from §2.1, so a
// mistake in the implementation's branching cannot be mirrored here.
const REFUSED_WORKLOADS = new Set<string>(['DPM', 'MABS']);
const LISTED = new Set<string>([
  'AzureVM/Scheduled', 'AzureVM/User',
  'AzureFiles/Scheduled', 'AzureFiles/User',
  'MAB/Scheduled', 'MAB/User',
  'AzureWorkload/User',
]);
const TRACKED_BUT_UNLISTED = new Set<string>(['AzureWorkload/Scheduled']);

interface Row {
  workloadType: WorkloadType;
  operation: Operation;
  trigger: Trigger;
  admitted: boolean;
  listed: boolean;
  reason: string;
}

function expected(workloadType: WorkloadType, operation: Operation, trigger: Trigger): Row {
  const pair = `${workloadType}/${trigger}`;
  const admitted = !REFUSED_WORKLOADS.has(workloadType);
  const listed = LISTED.has(pair);
  let reason: string;
  if (!admitted) reason = 'WorkloadNotMonitored';
  else if (TRACKED_BUT_UNLISTED.has(pair)) reason = 'ScheduledWorkloadJob';
  else if (workloadType === 'AzureWorkload') reason = 'UserTriggeredWorkload';
  else reason = 'Monitored';
  return { workloadType, operation, trigger, admitted, listed, reason };
}

const table: Row[] = WORKLOADS.flatMap((w) =>
  OPERATIONS.flatMap((o) => TRIGGERS.map((t) => expected(w, o, t))),
);

describe('visibility table (§2.1)', () => {
  it('covers every workload × operation × trigger exactly once', () => {
    expect(table).toHaveLength(6 * 6 * 2);
    expect(new Set(table.map((r) => `${r.workloadType}/${r.operation}/${r.trigger}`)).size).toBe(72);
  });

  it.each(table)('$workloadType $operation $trigger → admitted=$admitted listed=$listed ($reason)', (row) => {
    const admission = admitJob(row.workloadType);
    expect(admission.admitted).toBe(row.admitted);
    expect(admission).toEqual(row.admitted ? { admitted: true } : { admitted: false, reason: 'WorkloadNotMonitored' });

    expect(jobVisibility({ workloadType: row.workloadType, trigger: row.trigger })).toEqual({
      listed: row.listed,
      reason: row.reason,
    });
  });

  it('admits 48 combos and refuses the 24 DPM/MABS ones', () => {
    const admitted = table.filter((r) => admitJob(r.workloadType).admitted);
    expect(admitted).toHaveLength(48);
    const refused = table.filter((r) => !admitJob(r.workloadType).admitted);
    expect(refused).toHaveLength(24);
    expect(new Set(refused.map((r) => r.workloadType))).toEqual(new Set(['DPM', 'MABS']));
  });

  it('lists 42 combos; hides 6 scheduled AzureWorkload and 24 unmonitored ones', () => {
    const actual = table.map((r) => jobVisibility(r));
    expect(actual.filter((v) => v.listed)).toHaveLength(42);
    expect(actual.filter((v) => v.reason === 'ScheduledWorkloadJob')).toHaveLength(6);
    expect(actual.filter((v) => v.reason === 'WorkloadNotMonitored')).toHaveLength(24);
    expect(actual.filter((v) => v.reason === 'UserTriggeredWorkload')).toHaveLength(6);
    expect(actual.filter((v) => v.reason === 'Monitored')).toHaveLength(36);
  });

  it('never lists a job it refused to admit', () => {
    for (const row of table) {
      if (!admitJob(row.workloadType).admitted) expect(jobVisibility(row).listed).toBe(false);
    }
  });

  it.each([
    ['AzureWorkload', 'Backup', 'Scheduled', false],
    ['AzureWorkload', 'Backup', 'User', true],
    ['AzureWorkload', 'Restore', 'User', true],
    ['AzureVM', 'Backup', 'Scheduled', true],
    ['MAB', 'DeleteBackupData', 'User', true],
    ['DPM', 'Backup', 'User', false],
    ['MABS', 'Restore', 'Scheduled', false],
  ] as const)('spot: %s %s %s listed=%s', (workloadType, _operation, trigger, listed) => {
    expect(jobVisibility({ workloadType, trigger }).listed).toBe(listed);
  });
});
