import type { DbOrTx } from '../db/client';
import type { Scenario, Severity, WorkloadType } from '../domain/types';

export interface SilenceCandidate {
  entityName: string;
  workloadType: WorkloadType;
  scenario: Scenario;
  severity: Severity;
}

/** §2.7: the id of a silence of the vault active at `at` whose match covers the alert, else null. */
export async function findSuppressingSilence(_db: DbOrTx, _vaultId: string, _alert: SilenceCandidate, _at: Date): Promise<string | null> {
  return null; // implemented by the lifecycle work (issue 12)
}
