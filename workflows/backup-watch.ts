import {
  allHandlersFinished, condition, continueAsNew, proxyActivities, setCurrentDetails, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { wakeBackupWatchSignal, type BackupWatchInput } from './definitions';

const { sweepBackupWatch } = proxyActivities<Activities>({
  startToCloseTimeout: '60s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

const MAX_HISTORY_EVENTS = 2_000;
/** A deadline that is already due but could not be raised yet is looked at again after this. */
const MIN_SLEEP_MS = 250;

/**
 * One per vault (§2.5): a durable timer until the vault's earliest item deadline, kept in
 * Postgres. The workflow carries no state but that wake-up, so it stays small at any item count;
 * a signal means "a deadline may have moved earlier" and simply makes it look again.
 */
export async function backupWatch(input: BackupWatchInput): Promise<never> {
  let woken = false;
  setHandler(wakeBackupWatchSignal, () => void (woken = true));
  const maxEvents = input.maxHistoryEvents ?? MAX_HISTORY_EVENTS;
  const historyFull = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > maxEvents;
  let raisedThisRun = 0;

  for (;;) {
    woken = false;
    const sweep = await sweepBackupWatch({ vaultId: input.vaultId });
    raisedThisRun += sweep.raised;
    setCurrentDetails(
      `**Next deadline**: ${sweep.wakeAt ?? 'none (no watched item)'}\n\n` +
      `Last sweep ${new Date(Date.now()).toISOString()}: ${sweep.raised} BackupMissed raised (${raisedThisRun} this run).`,
    );
    if (historyFull()) {
      // Nothing to carry: the next run reads its deadline from Postgres. A wake-up arriving now is
      // redundant with that first read.
      await condition(allHandlersFinished);
      await continueAsNew<typeof backupWatch>({ vaultId: input.vaultId, maxHistoryEvents: input.maxHistoryEvents });
    }
    if (sweep.more || woken) continue;
    if (sweep.wakeAt === null) {
      await condition(() => woken);
    } else {
      await condition(() => woken, Math.max(Date.parse(sweep.wakeAt) - Date.now(), MIN_SLEEP_MS));
    }
  }
}
