import type { AppDeps } from '../deps';
import { waitUntil } from '../deps';
import { findAlert } from '../../readmodel/alerts';
import { notFound } from '../problem';
import { inactivateAlertSignal, VAULT_NOTIFICATIONS_WORKFLOW } from '../../workflows/definitions';
import { vaultNotificationsStart } from '../../activities/vault-signals';

/**
 * Inactivation belongs to the vault's workflow (it stops the alert's pending notifications); the
 * signal is durable even with workers down, and the answer waits briefly to read its own write.
 */
export async function inactivateAlert(deps: AppDeps, vaultId: string, alertId: string, by: string | null) {
  const alert = await findAlert(deps.db, vaultId, alertId);
  if (!alert) throw notFound(`Alert ${alertId} in vault ${vaultId}`);
  if (alert.status === 'Inactive') return { id: alertId, status: 'Inactive' as const };
  await deps.temporal.workflow.signalWithStart(VAULT_NOTIFICATIONS_WORKFLOW, {
    ...vaultNotificationsStart({ taskQueue: deps.taskQueue, digestIntervalMs: deps.digestIntervalMs }, vaultId),
    signal: inactivateAlertSignal,
    signalArgs: [{ alertId, by, at: (deps.now?.() ?? new Date()).toISOString() }],
  });
  // The signal is durable: even if the read model lags (workers down), the alert will read Inactive.
  await waitUntil(
    async () => (await findAlert(deps.db, vaultId, alertId))?.status === 'Inactive',
    deps.readYourWritesMs ?? 3_000,
  );
  return { id: alertId, status: 'Inactive' as const };
}
