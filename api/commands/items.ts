import { wakeBackupWatch } from '../../activities/backup-watch-wake';
import type { ItemPolicy } from '../../domain/model';
import { recordAudit } from '../../readmodel/audit';
import { applyVaultPolicy, setItemPolicy } from '../../readmodel/item-watch';
import { findItem, type ItemKey } from '../../readmodel/items';
import type { AppDeps } from '../deps';
import { notFound } from '../problem';

export const itemTarget = (key: ItemKey) => `item/${key.workloadType}/${key.entityName}`;

/**
 * PUT (a policy or an opt-out) and DELETE (`null`: the vault default again) of an item's policy.
 * Postgres first (reads catch up at once, §4), then the watch is woken: a shorter policy may have
 * moved the deadline earlier. A retry after a failed wake changes nothing and wakes again.
 */
export async function changeItemPolicy(
  deps: AppDeps, key: ItemKey, policy: ItemPolicy | null, audit: { principal: string; requestId: string },
) {
  const now = deps.now?.() ?? new Date();
  const found = await deps.db.transaction(async (tx) => {
    if (!(await setItemPolicy(tx, key, policy, now))) return false;
    await recordAudit(tx, {
      ...audit, action: policy === null ? 'policy.deleted' : 'policy.updated', vaultId: key.vaultId, target: itemTarget(key), at: now,
    });
    return true;
  });
  if (!found) throw notFound(`Item ${key.workloadType}/${key.entityName} in vault ${key.vaultId}`);
  await wakeBackupWatch({ client: deps.temporal, taskQueue: deps.taskQueue }, key.vaultId);
  return (await findItem(deps.db, key))!;
}

/** After PUT /v1/vaults/{id} carried a backupPolicy: items without their own policy start it now. */
export async function vaultPolicyChanged(deps: AppDeps, vaultId: string, policy: { expectedEvery: string; grace: string } | null) {
  const now = deps.now?.() ?? new Date();
  await deps.db.transaction((tx) => applyVaultPolicy(tx, vaultId, policy, now));
  // Always, even when nothing changed: a retried PUT must not lose the wake-up of the first one.
  await wakeBackupWatch({ client: deps.temporal, taskQueue: deps.taskQueue }, vaultId);
}
