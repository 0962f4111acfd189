import { describe, expect, it } from 'vitest';
import { autoResolution } from '../../domain/auto-resolve';
import { JOB_STATUSES, OPERATIONS, SCENARIOS, type JobStatus, type Operation, type Scenario } from '../../domain/types';

// Oracle: §2.4's list transcribed literally, independent of the scenario-facts table.
function spec(operation: Operation, status: JobStatus, scenario: Scenario): boolean {
  if (operation === 'Backup' && status === 'Completed') return ['BackupFailure', 'BackupSucceededWithWarnings', 'BackupMissed'].includes(scenario);
  if (operation === 'Backup' && status === 'CompletedWithWarnings') return ['BackupFailure', 'BackupMissed'].includes(scenario);
  if (operation === 'Restore' && status === 'Completed') return scenario === 'RestoreFailure';
  return false; // stop-protection and delete alerts are events: only a user inactivates them
}

const table = OPERATIONS.flatMap((operation) => JOB_STATUSES.flatMap((status) => SCENARIOS.map((scenario) => [operation, status, scenario] as const)));

describe('autoResolution: every operation × outcome × scenario (§2.4)', () => {
  it.each(table)('%s ending %s → resolves %s?', (operation, status, scenario) => {
    const decision = autoResolution({ operation, status }, { autoResolve: true });
    const resolves = decision.resolve && decision.scenarios.includes(scenario);
    expect(resolves).toBe(spec(operation, status, scenario));
  });

  it.each(table)('%s ending %s never resolves %s when the vault turned autoResolve off', (operation, status) => {
    expect(autoResolution({ operation, status }, { autoResolve: false }).resolve).toBe(false);
  });

  it('names why nothing is resolved', () => {
    expect(autoResolution({ operation: 'Backup', status: 'InProgress' }, { autoResolve: true })).toEqual({ resolve: false, reason: 'NotTerminal' });
    expect(autoResolution({ operation: 'Backup', status: 'Failed' }, { autoResolve: true })).toEqual({ resolve: false, reason: 'ResolvesNothing' });
    expect(autoResolution({ operation: 'DeleteBackupData', status: 'Completed' }, { autoResolve: true })).toEqual({ resolve: false, reason: 'ResolvesNothing' });
    expect(autoResolution({ operation: 'Backup', status: 'Completed' }, { autoResolve: false })).toEqual({ resolve: false, reason: 'AutoResolveOff' });
    expect(autoResolution({ operation: 'Backup', status: 'Completed' }, { autoResolve: true }))
      .toEqual({ resolve: true, scenarios: ['BackupFailure', 'BackupSucceededWithWarnings', 'BackupMissed'] });
  });
});
