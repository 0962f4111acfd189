// The one table of scenario facts (§2.2, §2.4): severity, destructive or not, what resolves it and
// its wording. Alert rules, resolution, emails and the console all read it; nothing repeats it.
import type { JobStatus, Operation, Scenario, Severity } from './types';

export interface ResolvingOutcome {
  operation: Operation;
  statuses: readonly JobStatus[];
}

export interface ScenarioFacts {
  severity: Severity;
  /** Destructive notices reach the subscription contacts and are never silenced. */
  destructive: boolean;
  /** Job outcomes of the same protected item that auto-resolve an open alert; empty: events only a user inactivates. */
  resolvedBy: readonly ResolvingOutcome[];
  /** What happened, in words for a recipient: "a backup job failed". */
  text: string;
}

const SUCCESS: readonly JobStatus[] = ['Completed', 'CompletedWithWarnings'];

export const SCENARIO_FACTS: Record<Scenario, ScenarioFacts> = {
  BackupFailure: {
    severity: 'Critical', destructive: false, text: 'a backup job failed',
    resolvedBy: [{ operation: 'Backup', statuses: SUCCESS }],
  },
  RestoreFailure: {
    severity: 'Critical', destructive: false, text: 'a restore job failed',
    resolvedBy: [{ operation: 'Restore', statuses: ['Completed'] }],
  },
  BackupSucceededWithWarnings: {
    severity: 'Warning', destructive: false, text: 'a backup by the Azure Backup agent (MAB) completed with warnings',
    resolvedBy: [{ operation: 'Backup', statuses: ['Completed'] }],
  },
  StopProtectionRetainData: {
    severity: 'Warning', destructive: false, text: 'protection of an item was stopped (its backup data is retained)',
    resolvedBy: [],
  },
  StopProtectionDeleteData: {
    severity: 'Critical', destructive: true, text: 'protection of an item was stopped and its backup data deleted',
    resolvedBy: [],
  },
  DeleteBackupData: {
    severity: 'Critical', destructive: true, text: "an item's backup data was deleted",
    resolvedBy: [],
  },
  BackupMissed: {
    severity: 'Critical', destructive: false, text: 'a protected item has had no successful backup within its policy',
    resolvedBy: [{ operation: 'Backup', statuses: SUCCESS }],
  },
};

export const isDestructive = (scenario: Scenario): boolean => SCENARIO_FACTS[scenario].destructive;

/** The scenarios whose open alerts a job with this outcome resolves on its item (§2.4). */
export function scenariosResolvedBy(job: { operation: Operation; status: JobStatus }): Scenario[] {
  return (Object.keys(SCENARIO_FACTS) as Scenario[]).filter((scenario) =>
    SCENARIO_FACTS[scenario].resolvedBy.some((r) => r.operation === job.operation && r.statuses.includes(job.status)),
  );
}
