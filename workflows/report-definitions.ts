// The periodic vault report's workflow: name, id, input and its one signal. Kept beside the other
// definitions (not in definitions.ts, to stay out of the other helpers' way at merge).
import { defineSignal } from '@temporalio/workflow';

export const VAULT_REPORT_WORKFLOW = 'vaultReport';
export const vaultReportWorkflowId = (vaultId: string) => `vault-report/${vaultId}`;

export interface VaultReportInput {
  vaultId: string;
  /** Carried across continue-as-new: the end of the next period to report (ISO 8601). */
  nextDue?: string;
}

/** Sent by every settings save with `weeklyReport: true`: keeps a run that was about to end alive. */
export const reportSettingsSignal = defineSignal<[]>('reportSettingsChanged');

export interface SendReportInput {
  vaultId: string;
  /** The scheduled end of the period to report; the period is the one that ended at or before it. */
  due: string;
}

export interface SendReportResult {
  /** Settings still say weeklyReport and enabled. */
  subscribed: boolean;
  /** Deliveries planned for this period (0 when already planned by an earlier attempt or run). */
  planned: number;
  /** The end of the next period, by the worker's REPORT_INTERVAL. */
  nextDue: string;
}
