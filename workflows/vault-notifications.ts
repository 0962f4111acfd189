import {
  allHandlersFinished, condition, continueAsNew, patched, proxyActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  alertRaisedSignal, DELIVERY_LOG_PATCH, digestDueSignal, inactivateAlertSignal, updateSettingsSignal,
  type VaultNotificationsInput,
} from './definitions';
import { DigestWakeups, isWakeupSnapshot, type LegacyMessage } from './digest-wakeups';
import { legacyVaultNotifications } from './legacy/vault-notifications';

const { closeDueDigests, adoptLegacyVaultState, handleLegacyVaultMessage } = proxyActivities<Activities>({
  startToCloseTimeout: '60s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
});

const MAX_HISTORY_EVENTS = 2_000;

/**
 * One per vault: wakes up once per digest window (a signal from planning when the window opens)
 * and plans that window's digests. It sends nothing itself, so nothing it does waits on a
 * provider; everything else (settings, inactivation, per-alert deliveries) happens in Postgres.
 */
export async function vaultNotifications(input: VaultNotificationsInput): Promise<never> {
  // Runs started before the delivery log replay the old loop unchanged.
  if (!patched(DELIVERY_LOG_PATCH)) return legacyVaultNotifications({ ...input, digestIntervalMs: input.digestIntervalMs ?? 3_600_000 });
  const { vaultId } = input;
  const wakeups = new DigestWakeups(isWakeupSnapshot(input.state) ? input.state : undefined);
  setHandler(digestDueSignal, ({ windowEndMs }) => wakeups.add(windowEndMs));
  // Callers from before the delivery log may still send these; each becomes one short activity.
  setHandler(alertRaisedSignal, (alert) => void wakeups.legacy.push({ kind: 'alertRaised', alert }));
  setHandler(inactivateAlertSignal, (signal) => void wakeups.legacy.push({ kind: 'inactivate', signal }));
  setHandler(updateSettingsSignal, (signal) => void wakeups.legacy.push({ kind: 'settings', signal }));

  if (input.state !== undefined && !isWakeupSnapshot(input.state)) {
    // The snapshot of a run of the old loop that continued as new: its queued work goes to the log.
    for (const windowEndMs of await adoptLegacyVaultState({ vaultId, state: input.state })) wakeups.add(windowEndMs);
  }

  const maxEvents = input.maxHistoryEvents ?? MAX_HISTORY_EVENTS;
  const historyFull = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > maxEvents;
  for (;;) {
    for (let message: LegacyMessage | undefined; (message = wakeups.legacy[0]); ) {
      await handleLegacyVaultMessage({ vaultId, message });
      wakeups.legacy.shift();
    }
    if (wakeups.takeDue(Date.now())) await closeDueDigests({ vaultId });
    if (historyFull()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof vaultNotifications>({ vaultId, maxHistoryEvents: input.maxHistoryEvents, state: wakeups.snapshot() });
    }
    const next = wakeups.nextMs;
    await condition(
      () => wakeups.legacy.length > 0 || wakeups.nextMs !== next || historyFull(),
      next === undefined ? '365 days' : Math.max(next - Date.now(), 1),
    );
  }
}
