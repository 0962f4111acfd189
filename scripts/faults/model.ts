// What the checks of notifications need to know of each alert the model expects, once the alert
// checks have matched it to a row: who must have heard of it, and for which events.
export const SEVERITY_RANK: Record<string, number> = { Informational: 0, Warning: 1, Critical: 2 };
export const meetsFloor = (severity: string, floor: string) => (SEVERITY_RANK[severity] ?? -1) >= (SEVERITY_RANK[floor] ?? 0);

export interface AlertOutcome {
  id: string;
  vaultId: string;
  severity: string;
  destructive: boolean;
  /**
   * Owed an `alert.raised` notification: raised outside any silence, or suppressed by one and still
   * open when it released it (§2.7). Suppressed and resolved under the silence: never notified.
   */
  raisedNotified: boolean;
  /** Ended Inactive (auto-resolved by the job or success the model planned for it). */
  resolved: boolean;
}

/** §2.4/§2.7: a resolution is news only to whoever heard of the raise. */
export const resolvedNotified = (alert: AlertOutcome) => alert.resolved && alert.raisedNotified;
