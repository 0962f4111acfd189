import { continueAsNew, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { ReportActivities } from '../activities/reports';
import { reportSettingsSignal, type VaultReportInput } from './report-definitions';

const acts = proxyActivities<ReportActivities>({
  startToCloseTimeout: '60s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m' },
});

// Each period costs about 8 events; this keeps every run's history small.
const PERIODS_PER_RUN = 100;

/**
 * One per vault that asked for reports (id `vault-report/<vaultId>`): a durable timer to the end of
 * each period, then one activity that plans the report's deliveries. It ends when the settings no
 * longer ask for reports; saving them with `weeklyReport: true` starts it again (signal-with-start).
 */
export async function vaultReport(input: VaultReportInput): Promise<void> {
  let signals = 0;
  setHandler(reportSettingsSignal, () => void (signals += 1));
  let due = input.nextDue ?? (await acts.nextReportDue({ at: new Date(Date.now()).toISOString() }));
  for (let period = 0; period < PERIODS_PER_RUN; period++) {
    const wait = Date.parse(due) - Date.now();
    if (wait > 0) await sleep(wait);
    const seen = signals;
    const result = await acts.sendPeriodReport({ vaultId: input.vaultId, due });
    // A save that re-enabled reports while the activity ran must not be lost by ending now.
    if (!result.subscribed && signals === seen) return;
    due = result.nextDue;
    if (workflowInfo().continueAsNewSuggested) break;
  }
  await continueAsNew<typeof vaultReport>({ vaultId: input.vaultId, nextDue: due });
}
