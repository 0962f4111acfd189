import type { Database } from '../db/client';
import { dispatchDeliveries, type DispatchDeps } from '../notifications/dispatch';
import { planAlertEvent } from '../notifications/plan';
import { vaultNotificationsWorkflowId, type RaisedAlert, type VaultNotificationsInput } from '../workflows/definitions';

export interface VaultSignalDeps extends DispatchDeps {
  db: Database;
}

export function createVaultSignalActivities(deps: VaultSignalDeps) {
  return {
    /**
     * Kept for backupJob runs that raised their alert before the delivery log: it plans the
     * alert's deliveries (idempotently, like raiseAlert now does) and starts them, instead of
     * queueing the alert in the vault's workflow.
     */
    async handAlertToVault({ vaultId, alert }: { vaultId: string; alert: RaisedAlert }): Promise<void> {
      // A repeat, or raised already resolved: nothing is owed. A suppressed alert is planned anyway:
      // the planner sends a suppressed alert nothing but its destructive notice.
      if (!alert.isNew || alert.resolved) return;
      const ids = await deps.db.transaction((tx) => planAlertEvent(tx, { vaultId, alertId: alert.alertId, event: 'alert.raised', at: new Date(alert.raisedAt) }));
      await dispatchDeliveries(deps, ids);
    },

    /** Starts what a workflow's transaction planned (backupJob after raiseAlert). */
    async dispatchDeliveries({ deliveryIds }: { deliveryIds: string[] }): Promise<void> {
      await dispatchDeliveries(deps, deliveryIds);
    },
  };
}

/**
 * Signal-with-start options of a vault's workflow for callers that still signal it (inactivation
 * until it moves to Postgres). The interval is only read by runs of the old loop.
 */
export function vaultNotificationsStart({ taskQueue, digestIntervalMs }: { taskQueue: string; digestIntervalMs: number }, vaultId: string) {
  const args: [VaultNotificationsInput] = [{ vaultId, digestIntervalMs }];
  return { workflowId: vaultNotificationsWorkflowId(vaultId), taskQueue, args, staticSummary: `Digests of vault ${vaultId}` };
}
