// The vault workflow before the delivery log (kept so that runs started then still replay; see
// workflows/vault-notifications.ts). Do not change the commands it issues.
import {
  allHandlersFinished, condition, continueAsNew, log, proxyActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import {
  alertRaisedSignal, inactivateAlertSignal, updateSettingsSignal, type VaultNotificationsInput,
} from '../definitions';
import { VaultState, type VaultSnapshot, type WorkItem } from './vault-state';

const db = proxyActivities<Activities>({
  startToCloseTimeout: '20s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});
// Sends wait on the provider (10 s timeout per call) while holding the outbox row.
const mail = proxyActivities<Activities>({
  startToCloseTimeout: '25s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '2m', nonRetryableErrorTypes: ['EmailRejected', 'AlertMissing'] },
});

const MAX_HISTORY_EVENTS = 10_000;

/** One per vault, for ever: owns notification settings, inactivation, the digest and every email. */
export async function legacyVaultNotifications(input: VaultNotificationsInput): Promise<never> {
  const { vaultId } = input;
  const state = new VaultState(input.digestIntervalMs ?? 3_600_000, input.state as VaultSnapshot | undefined);
  setHandler(alertRaisedSignal, (alert) => state.onAlertRaised(alert));
  setHandler(inactivateAlertSignal, (signal) => state.onInactivate(signal));
  setHandler(updateSettingsSignal, (signal) => state.onSettings(signal));
  if (!input.state) state.restoreSettings(await db.loadSettings({ vaultId }));

  const run = async (item: WorkItem): Promise<void> => {
    switch (item.kind) {
      case 'inactivate':
        await db.markAlertInactive({ vaultId, alertId: item.alertId, by: item.by, at: item.at });
        return;
      case 'saveSettings':
        await db.saveSettings({ vaultId, settings: item.settings, by: item.by, requestId: item.requestId });
        for (const recipient of item.welcome) {
          await mail.sendWelcome({ vaultId, recipient, settings: item.settings, requestId: item.requestId });
        }
        return;
      case 'alertEmail':
        await mail.sendAlertEmail({ vaultId, alertId: item.alertId, recipients: item.recipients });
        return;
      case 'destructiveNotice':
        await mail.sendDestructiveNotice({ vaultId, alertId: item.alertId });
        return;
      case 'digest':
        await mail.sendDigest({ vaultId, ...item, recipients: state.digestRecipients });
    }
  };

  const maxEvents = input.maxHistoryEvents ?? MAX_HISTORY_EVENTS;
  const historyFull = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > maxEvents;
  for (;;) {
    const untilNextDigest = state.releaseDueDigests(Date.now());
    if (!state.hasWork && !historyFull()) {
      // An alert may open a window that ends before the one the timer waits for: re-arm then.
      const due = state.nextDigestDueMs;
      await condition(() => state.hasWork || historyFull() || state.nextDigestDueMs !== due, untilNextDigest ?? '365 days');
      continue;
    }
    for (let item = state.peek(); item; item = state.peek()) {
      try {
        await run(item);
      } catch (error) {
        // A non-retryable failure (a rejected email) is recorded in the outbox; the queue moves on.
        log.error('notification step failed', { vaultId, kind: item.kind, error: String(error) });
      }
      state.done();
      if (historyFull()) break;
    }
    if (historyFull()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof legacyVaultNotifications>({ ...input, state: state.snapshot() });
    }
  }
}
