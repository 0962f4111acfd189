// The missed-backup watch's I/O (§2.5): raise BackupMissed for every due item of a vault in
// batches, then read the vault's next deadline and record it as the time the watch sleeps until.
import type { Client } from '@temporalio/client';
import { and, asc, eq, isNotNull, lte, sql } from 'drizzle-orm';
import type { Database, DbOrTx } from '../db/client';
import { alerts, backupWatches, items } from '../db/schema';
import { isBackupMissed, missedBackupKey, missedBackupMessage, nextCheckAt } from '../domain/missed-backup';
import { SCENARIO_FACTS } from '../domain/scenarios';
import type { WorkloadType } from '../domain/types';
import { dispatchDeliveries } from '../notifications/dispatch';
import { planAlertsRaised } from '../notifications/plan';
import { recordAlertHistory } from '../readmodel/alert-history';
import { ensureWatchRow, openMissedKeys, watchFacts } from '../readmodel/item-watch';
import { acceptedUnrecordedSuccesses } from '../readmodel/job-outcomes';
import { vaultBackupPolicy } from '../readmodel/items';
import { findSuppressingSilences } from '../readmodel/silences';
import { activityLog } from './log';
import { noMetrics, type ActivityMetrics } from './metrics';

export const MISSED_ERROR_CODE = 'NoRecentBackup';
/** Items per transaction: 1,000 misses at once are one batch (a few statements each, not per item). */
export const SWEEP_BATCH = 1_000;
/** An activity attempt stops after this much work and lets the workflow loop (history stays small). */
const SWEEP_BUDGET_MS = 20_000;

export interface BackupWatchSweep {
  /** The vault's earliest deadline after the sweep; null: nothing to watch. */
  wakeAt: string | null;
  raised: number;
  /** The budget ran out with due items left: sweep again at once. */
  more: boolean;
}

interface WatchDeps {
  db: Database;
  client: Client;
  taskQueue: string;
  metrics?: ActivityMetrics;
}

export function createBackupWatchActivities(deps: WatchDeps) {
  const { db, metrics = noMetrics } = deps;
  return {
    /** Idempotent: a retry finds the alerts already open (the partial unique index) and raises nothing twice. */
    async sweepBackupWatch({ vaultId }: { vaultId: string }): Promise<BackupWatchSweep> {
      const started = Date.now();
      let raised = 0;
      let more = false;
      for (;;) {
        const batch = await raiseDueBatch(db, vaultId, new Date());
        raised += batch.raised;
        for (let i = 0; i < batch.raised; i++) metrics.alertRaised({ severity: 'Critical', scenario: 'BackupMissed', consolidated: false });
        // After the commit, as the routing contract asks; the sweeper re-dispatches after a crash.
        if (batch.deliveryIds.length > 0) await dispatchDeliveries(deps, batch.deliveryIds);
        if (batch.size < SWEEP_BATCH) break;
        if (Date.now() - started > SWEEP_BUDGET_MS) {
          more = true;
          break;
        }
      }
      if (raised > 0) activityLog().info('missed backups raised', { vaultId, raised });
      const wakeAt = await armWatch(db, vaultId);
      return { wakeAt: wakeAt?.toISOString() ?? null, raised, more };
    },
  };
}

async function raiseDueBatch(db: Database, vaultId: string, now: Date) {
  return db.transaction(async (tx) => {
    const rows = await tx.select().from(items)
      .where(and(eq(items.vaultId, vaultId), lte(items.deadlineAt, now)))
      .orderBy(asc(items.deadlineAt)).limit(SWEEP_BATCH).for('update');
    if (rows.length === 0) return { size: 0, raised: 0, deliveryIds: [] as string[] };
    const keyOf = (r: { workloadType: string; entityName: string }) => missedBackupKey(vaultId, r.workloadType, r.entityName);
    // Independent reads: pipelined on the transaction's connection (one round trip).
    const [vaultPolicy, open, accepted] = await Promise.all([
      vaultBackupPolicy(tx, vaultId), openMissedKeys(tx, vaultId, rows.map(keyOf)), acceptedUnrecordedSuccesses(tx, vaultId, rows),
    ]);
    const factsOf = (row: typeof rows[number]) =>
      watchFacts(row, vaultPolicy, open.has(keyOf(row)), accepted.get(`${row.workloadType}/${row.entityName}`) ?? null);

    const due = rows.filter((row) => isBackupMissed(factsOf(row), now.getTime()));
    const inserted = due.length === 0 ? [] : await tx.insert(alerts).values(due.map((row) => {
      const facts = watchFacts(row, vaultPolicy, false);
      // An item always has a last job (it is known from one); a bulk-seeded one gets a synthetic id.
      const jobId = row.lastJobId ?? `missed/${row.deadlineAt!.toISOString()}`;
      return {
        vaultId, scenario: 'BackupMissed', severity: SCENARIO_FACTS.BackupMissed.severity, status: 'Active',
        workloadType: row.workloadType, entityName: row.entityName, jobId, latestJobId: jobId, occurrences: 1,
        errorCode: MISSED_ERROR_CODE, errorMessage: missedBackupMessage(facts), consolidationKey: keyOf(row),
        raisedAt: now, lastOccurredAt: now,
      };
    })).onConflictDoNothing().returning({ id: alerts.id, workloadType: alerts.workloadType, entityName: alerts.entityName, jobId: alerts.jobId });

    for (const alert of inserted) open.add(keyOf(alert));
    await recordAlertHistory(tx, inserted.map((a) => ({ alertId: a.id, vaultId, action: 'Raised' as const, by: 'system', at: now, jobId: a.jobId })));
    const deliveryIds = await notifyRaised(tx, vaultId, inserted, now);

    // The next look at each item: its deadline, or (alert open) one allowance from now.
    const next = rows.map((row) => {
      const at = nextCheckAt(factsOf(row), now.getTime());
      return { w: row.workloadType, e: row.entityName, d: at === null ? null : new Date(at).toISOString() };
    });
    await tx.execute(sql`update items i set deadline_at = u.d, updated_at = ${now.toISOString()}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(next)}::jsonb) as u(w text, e text, d timestamptz)
      where i.vault_id = ${vaultId} and i.workload_type = u.w and i.entity_name = u.e`);
    return { size: rows.length, raised: inserted.length, deliveryIds };
  });
}

/**
 * Suppressed by a maintenance window: recorded on the alert, nothing planned; else routed (§2.6,
 * §2.7). One read of the vault's silences and one planning pass for the whole batch.
 */
async function notifyRaised(tx: DbOrTx, vaultId: string, raised: { id: string; workloadType: string; entityName: string }[], now: Date) {
  const candidates = raised.map((alert) => ({ entityName: alert.entityName, workloadType: alert.workloadType as WorkloadType, scenario: 'BackupMissed' as const, severity: 'Critical' as const }));
  const silenceIds = await findSuppressingSilences(tx, vaultId, candidates, now);
  const suppressed = raised.flatMap((alert, i) => (silenceIds[i] ? [{ alert, silenceId: silenceIds[i] }] : []));
  for (const { alert, silenceId } of suppressed) {
    await tx.update(alerts).set({ suppressed: true, suppressedBy: silenceId }).where(eq(alerts.id, alert.id));
  }
  await recordAlertHistory(tx, suppressed.map(({ alert, silenceId }) => ({ alertId: alert.id, vaultId, action: 'Suppressed' as const, by: 'system', at: now, silenceId })));
  return planAlertsRaised(tx, vaultId, raised.filter((_, i) => !silenceIds[i]).map((alert) => alert.id), now);
}

/**
 * Records and returns the vault's earliest deadline. The exclusive lock on the watch row orders
 * this against item writers, which read `wake_at` under a share lock before deciding to wake us.
 */
export async function armWatch(db: Database, vaultId: string): Promise<Date | null> {
  return db.transaction(async (tx) => {
    await ensureWatchRow(tx, vaultId);
    await tx.select({ vaultId: backupWatches.vaultId }).from(backupWatches).where(eq(backupWatches.vaultId, vaultId)).for('update');
    const [first] = await tx.select({ at: items.deadlineAt }).from(items)
      .where(and(eq(items.vaultId, vaultId), isNotNull(items.deadlineAt)))
      .orderBy(asc(items.deadlineAt)).limit(1);
    const wakeAt = first?.at ?? null;
    await tx.update(backupWatches).set({ wakeAt, updatedAt: new Date() }).where(eq(backupWatches.vaultId, vaultId));
    return wakeAt;
  });
}
