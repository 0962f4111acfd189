import type { Client } from '@temporalio/client';
import {
  alertRaisedSignal, VAULT_NOTIFICATIONS_WORKFLOW, vaultNotificationsWorkflowId,
  type RaisedAlert, type VaultNotificationsInput,
} from '../workflows/definitions';

export interface VaultSignalDeps {
  client: Client;
  taskQueue: string;
  digestIntervalMs: number;
}

/** Starts the vault's notification workflow on first use; `signalWithStart` is what makes that race-free. */
export function vaultNotificationsStart({ taskQueue, digestIntervalMs }: Omit<VaultSignalDeps, 'client'>, vaultId: string) {
  const args: [VaultNotificationsInput] = [{ vaultId, digestIntervalMs }];
  return {
    workflowId: vaultNotificationsWorkflowId(vaultId),
    taskQueue,
    args,
    staticSummary: `Notifications of vault ${vaultId}`,
  };
}

export function createVaultSignalActivities(deps: VaultSignalDeps) {
  return {
    async handAlertToVault({ vaultId, alert }: { vaultId: string; alert: RaisedAlert }): Promise<void> {
      // Raised already resolved, or held back by a silence until its release: nothing is owed now.
      if (alert.notify === false && alert.isNew) return;
      await deps.client.workflow.signalWithStart(VAULT_NOTIFICATIONS_WORKFLOW, {
        ...vaultNotificationsStart(deps, vaultId),
        signal: alertRaisedSignal,
        signalArgs: [alert],
      });
    },
  };
}
