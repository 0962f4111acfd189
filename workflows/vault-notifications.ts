import {
  allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  alertRaisedSignal, inactivateAlertSignal, type VaultNotificationsInput,
} from './definitions';
import { VaultState, type VaultSnapshot, type WorkItem } from './vault-state';

const { markAlertInactive } = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

/** Bound on events per run, below the server's warning threshold, for when no suggestion comes. */
const MAX_HISTORY_EVENTS = 10_000;

/** One per vault, for ever: owns inactivation and the vault's notifications. */
export async function vaultNotifications(input: VaultNotificationsInput): Promise<never> {
  const state = new VaultState(input.state as VaultSnapshot | undefined);
  setHandler(alertRaisedSignal, (alert) => state.onAlertRaised(alert));
  setHandler(inactivateAlertSignal, (signal) => state.onInactivate(signal));

  const run = async (item: WorkItem) => {
    if (item.kind === 'inactivate') {
      await markAlertInactive({ vaultId: input.vaultId, alertId: item.alertId, by: item.by, at: item.at });
    }
    // 'alertRaised' items are routed to email by the notifications layer.
  };

  for (;;) {
    const historyFull = () =>
      workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > MAX_HISTORY_EVENTS;
    await condition(() => state.hasWork || historyFull());
    for (let item = state.peek(); item; item = state.peek()) {
      await run(item);
      state.done();
    }
    if (historyFull()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof vaultNotifications>({ ...input, state: state.snapshot() });
    }
  }
}
