import { and, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { Database, DbOrTx } from '../db/client';
import { alerts, itemResolutions, OPEN_STATUS_SQL, vaults } from '../db/schema';
import { autoResolution, RAISED_BY_WATCH } from '../domain/auto-resolve';
import type { Job } from '../domain/types';
import { planAlertEvent } from '../notifications/plan';
import { recordAlertHistory } from '../readmodel/alert-history';
import { lockItem } from '../readmodel/item-lock';
import { activityLog } from './log';

/** Starts sending committed deliveries (notifications/dispatch.ts bound to the worker's client). */
export type Dispatch = (deliveryIds: readonly string[]) => Promise<void>;

/** After the commit; a failure is left to the dispatch sweeper, the state change already stands. */
export async function dispatchAfterCommit(dispatch: Dispatch | undefined, deliveryIds: readonly string[]): Promise<void> {
  if (!dispatch || deliveryIds.length === 0) return;
  await dispatch(deliveryIds).catch((error: unknown) => {
    activityLog().warn('dispatch failed; the sweeper will send these deliveries', { deliveryIds, error: String(error) });
  });
}

/** The item's lock and its vault's auto-resolve setting, in one round trip (the lock comes first). */
export async function lockItemForResolution(tx: DbOrTx, job: Job): Promise<{ autoResolve: boolean }> {
  // Pipelined: the lock is taken even when the vault turned auto-resolve off, which only
  // serialises this short transaction with the item's raises.
  const [, [vault]] = await Promise.all([
    lockItem(tx, job),
    tx.select({ autoResolve: vaults.autoResolve }).from(vaults).where(eq(vaults.id, job.vaultId)),
  ]);
  return { autoResolve: vault?.autoResolve ?? true };
}

/**
 * §2.4 under the item's lock (lockItemForResolution): resolves the open alerts of the item whose
 * scenarios the job clears, unless an occurrence after the job's end keeps the condition alive, and
 * records the job as the item's latest resolution of each scenario, so a failure that ended earlier
 * but is processed later is raised already resolved. Returns what it resolved and planned.
 */
export async function resolveLocked(tx: DbOrTx, job: Job, vault: { autoResolve: boolean }): Promise<{ ids: string[]; deliveryIds: string[] }> {
  if (!job.endedAt) return { ids: [], deliveryIds: [] };
  const endedAt = new Date(job.endedAt);
  const decision = autoResolution(job, vault);
  if (!decision.resolve) return { ids: [], deliveryIds: [] };
  const item = { vaultId: job.vaultId, workloadType: job.workloadType, entityName: job.entityName };
  // The resolution record and the update are independent statements: pipelined.
  const [, resolved] = await Promise.all([tx.insert(itemResolutions)
    .values(decision.scenarios.map((scenario) => ({ ...item, scenario, jobId: job.id, endedAt })))
    .onConflictDoUpdate({
      target: [itemResolutions.vaultId, itemResolutions.workloadType, itemResolutions.entityName, itemResolutions.scenario],
      set: { jobId: sql`excluded.job_id`, endedAt: sql`excluded.ended_at` },
      setWhere: sql`${itemResolutions.endedAt} < excluded.ended_at`,
    }),
  tx.update(alerts)
    .set({ status: 'Inactive', resolution: 'AutoResolved', inactivatedBy: 'system', inactivatedAt: endedAt, resolvedByJobId: job.id })
    .where(and(
      eq(alerts.vaultId, job.vaultId), eq(alerts.workloadType, job.workloadType), eq(alerts.entityName, job.entityName),
      sql`${alerts.status} in ${OPEN_STATUS_SQL}`, inArray(alerts.scenario, decision.scenarios),
      // An occurrence after this job ended means the condition came back: that alert stays open.
      or(lte(alerts.lastOccurredAt, endedAt), inArray(alerts.scenario, [...RAISED_BY_WATCH])),
    ))
    .returning({ id: alerts.id, suppressed: alerts.suppressed })]);
  await recordAlertHistory(tx, resolved.map((row) => ({
    alertId: row.id, vaultId: job.vaultId, action: 'AutoResolved' as const, by: 'system', at: endedAt, jobId: job.id,
  })));
  const planned: string[] = [];
  // A suppressed alert was never notified, so its resolution is not news to anyone.
  for (const row of resolved.filter((r) => !r.suppressed)) {
    planned.push(...await planAlertEvent(tx, { vaultId: job.vaultId, alertId: row.id, event: 'alert.resolved', at: endedAt }));
  }
  return { ids: resolved.map((row) => row.id), deliveryIds: planned };
}

/** After the commit of a resolution: say what was resolved, then start its deliveries. */
export async function afterResolution(dispatch: Dispatch | undefined, job: Job, { ids, deliveryIds }: { ids: string[]; deliveryIds: string[] }) {
  if (ids.length > 0) activityLog().info('alerts auto-resolved', { vaultId: job.vaultId, jobId: job.id, alertIds: ids });
  await dispatchAfterCommit(dispatch, deliveryIds);
}

export function createResolveActivities({ db, dispatch }: { db: Database; dispatch?: Dispatch }) {
  return {
    /** §2.4 for a finished job (resolveLocked). Returns the ids of the alerts it resolved (a retry after the commit finds nothing left). */
    async resolveAlerts({ job }: { job: Job }): Promise<string[]> {
      if (!job.endedAt) return [];
      const resolution = await db.transaction(async (tx) => resolveLocked(tx, job, await lockItemForResolution(tx, job)));
      await afterResolution(dispatch, job, resolution);
      return resolution.ids;
    },
  };
}
