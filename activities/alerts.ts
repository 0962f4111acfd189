import { and, eq, sql } from 'drizzle-orm';
import type { Database, DbOrTx } from '../db/client';
import { alertOccurrences, alerts } from '../db/schema';
import { consolidationKey, type AlertDecision } from '../domain/alert-rules';
import type { Job } from '../domain/types';
import { planAlertEvent } from '../notifications/plan';
import type { RaisedAlert } from '../workflows/definitions';
import { activityLog } from './log';
import { noMetrics, type ActivityMetrics } from './metrics';

type Raise = Extract<AlertDecision, { raise: true }>;

export function createAlertActivities({ db, metrics = noMetrics }: { db: Database; metrics?: ActivityMetrics }) {
  return {
    /**
     * Inserts the alert, or folds the occurrence into the Active alert with the same root cause.
     * The occurrence row keyed by job makes a retried activity return the first result instead of
     * counting twice; the partial unique index makes concurrent occurrences meet on one row.
     */
    async raiseAlert({ job, decision }: { job: Job; decision: Raise }): Promise<RaisedAlert> {
      const occurredAt = new Date(job.endedAt ?? job.startedAt);
      const key = consolidationKey(job, decision);
      let recorded = false;
      const raised = await db.transaction(async (tx) => {
        const previous = await tx
          .select({ alertId: alertOccurrences.alertId, isNew: alertOccurrences.isNew, raisedAt: alerts.raisedAt })
          .from(alertOccurrences)
          .innerJoin(alerts, eq(alerts.id, alertOccurrences.alertId))
          .where(and(eq(alertOccurrences.vaultId, job.vaultId), eq(alertOccurrences.jobId, job.id)));
        const found = previous[0];
        // A retry after the commit: planning is idempotent, so it answers the same delivery ids.
        if (found) return { ...summary(found.alertId, found.isNew, found.raisedAt, decision), deliveryIds: await planIfNew(tx, found, job.vaultId) };

        const values = {
          vaultId: job.vaultId,
          scenario: decision.scenario,
          severity: decision.severity,
          status: 'Active',
          workloadType: job.workloadType,
          entityName: job.entityName,
          jobId: job.id,
          latestJobId: job.id,
          occurrences: 1,
          errorCode: job.errorCode,
          errorMessage: job.errorMessage,
          consolidationKey: key,
          raisedAt: occurredAt,
          lastOccurredAt: occurredAt,
        };
        const insert = tx.insert(alerts).values(values);
        const [row] = key
          ? await insert
              .onConflictDoUpdate({
                target: [alerts.vaultId, alerts.consolidationKey],
                targetWhere: sql`${alerts.status} = 'Active' and ${alerts.consolidationKey} is not null`,
                set: {
                  occurrences: sql`${alerts.occurrences} + 1`,
                  latestJobId: job.id,
                  lastOccurredAt: sql`greatest(${alerts.lastOccurredAt}, excluded.last_occurred_at)`,
                  errorMessage: job.errorMessage,
                },
              })
              .returning({ id: alerts.id, raisedAt: alerts.raisedAt, inserted: sql<boolean>`(xmax = 0)` })
          : await insert.returning({ id: alerts.id, raisedAt: alerts.raisedAt, inserted: sql<boolean>`true` });
        if (!row) throw new Error('alert upsert returned no row');
        await tx.insert(alertOccurrences).values({
          vaultId: job.vaultId, jobId: job.id, alertId: row.id, isNew: row.inserted, occurredAt,
        });
        recorded = true;
        const deliveryIds = await planIfNew(tx, { alertId: row.id, isNew: row.inserted, raisedAt: row.raisedAt }, job.vaultId);
        return { ...summary(row.id, row.inserted, row.raisedAt, decision), deliveryIds };
      });
      // Counted after the commit, and only by the attempt that recorded the occurrence.
      if (recorded) {
        metrics.alertRaised({ severity: raised.severity, scenario: raised.scenario, consolidated: !raised.isNew });
        activityLog().info(raised.isNew ? 'alert raised' : 'alert occurrence consolidated', {
          alertId: raised.alertId, vaultId: job.vaultId, jobId: job.id, scenario: raised.scenario, severity: raised.severity,
        });
      }
      return raised;
    },

    /** Idempotent: inactivating an Inactive alert keeps its first who and when. */
    async markAlertInactive(input: { vaultId: string; alertId: string; by: string | null; at: string }): Promise<boolean> {
      const changed = await db
        .update(alerts)
        .set({ status: 'Inactive', inactivatedAt: new Date(input.at), inactivatedBy: input.by })
        .where(and(eq(alerts.id, input.alertId), eq(alerts.vaultId, input.vaultId), eq(alerts.status, 'Active')))
        .returning({ id: alerts.id });
      return changed.length > 0;
    },
  };
}

/** A new alert owes its notifications (planned in the raising transaction); a consolidated repeat none. */
async function planIfNew(tx: DbOrTx, alert: { alertId: string; isNew: boolean; raisedAt: Date }, vaultId: string): Promise<string[]> {
  if (!alert.isNew) return [];
  return planAlertEvent(tx, { vaultId, alertId: alert.alertId, event: 'alert.raised', at: alert.raisedAt });
}

function summary(alertId: string, isNew: boolean, raisedAt: Date, decision: Raise): RaisedAlert {
  return {
    alertId,
    isNew,
    raisedAt: raisedAt.toISOString(),
    scenario: decision.scenario,
    severity: decision.severity,
    destructive: decision.destructive,
  };
}
