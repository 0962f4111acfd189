import type { Client } from '@temporalio/client';
import { searchAttributes } from '../workflows/definitions';
import { reportSettingsSignal, VAULT_REPORT_WORKFLOW, vaultReportWorkflowId, type VaultReportInput } from '../workflows/report-definitions';

/**
 * Makes sure the vault's report workflow runs: starts it, or signals the running one (which keeps
 * it from ending on a stale "unsubscribed"). Call it after saving settings with `weeklyReport: true`.
 */
export async function startWeeklyReports(client: Client, taskQueue: string, vaultId: string): Promise<void> {
  const args: [VaultReportInput] = [{ vaultId }];
  await client.workflow.signalWithStart(VAULT_REPORT_WORKFLOW, {
    workflowId: vaultReportWorkflowId(vaultId),
    taskQueue,
    args,
    signal: reportSettingsSignal,
    signalArgs: [],
    staticSummary: `Periodic report of vault ${vaultId}`,
    typedSearchAttributes: [{ key: searchAttributes.vaultId, value: vaultId }],
  });
}
