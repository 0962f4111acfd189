import { and, eq, gt, sql } from 'drizzle-orm';
import type { Database, DbOrTx } from '../db/client';
import { alertOccurrences, alerts, itemResolutions, OPEN_STATUS_SQL, vaults } from '../db/schema';
import { consolidationKey, type AlertDecision } from '../domain/alert-rules';
import { resolvingOutcomes } from '../domain/auto-resolve';
import { isOpenStatus, type Job } from '../domain/types';
import { planAlertEvent } from '../notifications/plan';
import { recordAlertHistory } from '../readmodel/alert-history';
import { pendingDeliveriesOf } from '../readmodel/deliveries';
import { lockItem } from '../readmodel/item-lock';
import { findSuppressingSilence } from '../readmodel/silences';
import type { RaisedAlert } from '../workflows/definitions';
import { activityLog } from './log';
import { noMetrics, type ActivityMetrics } from './metrics';
import { createResolveActivities, type Dispatch } from './resolve';

type Raise = Extract<AlertDecision, { raise: true }>;

export interface AlertActivityDeps {
  db: Database;
  metrics?: ActivityMetrics;
  /** Starts sending committed deliveries; absent in tests that only look at the database. */
  dispatch?: Dispatch;
}

/** The latest job that resolved this scenario on the item after `occurredAt`, when auto-resolve is on. */
async function laterResolution(tx: DbOrTx, job: Job, decision: Raise, occurredAt: Date) {
  if (resolvingOutcomes(decision.scenario).length === 0) return null;
  const [row] = await tx
    .select({ jobId: itemResolutions.jobId, endedAt: itemResolutions.endedAt, autoResolve: vaults.autoResolve })
    .from(itemResolutions)
    .leftJoin(vaults, eq(vaults.id, itemResolutions.vaultId))
    .where(and(
      eq(itemResolutions.vaultId, job.vaultId), eq(itemResolutions.workloadType, job.workloadType),
      eq(itemResolutions.entityName, job.entityName), eq(itemResolutions.scenario, decision.scenario),
      gt(itemResolutions.endedAt, occurredAt),
    ));
  return row && row.autoResolve !== false ? row : null;
}

export function createAlertActivities({ db, metrics = noMetrics, dispatch }: AlertActivityDeps) {
  return {
    /**
     * Inserts the alert, or folds the occurrence into the open alert with the same root cause.
     * Under the item's lock (shared with auto-resolve) so that a success and a failure of one item
     * never interleave; the occurrence row keyed by job makes a retried activity return the first
     * result; the partial unique index on open alerts is the last guard against two open per key.
     */
    async raiseAlert({ job, decision }: { job: Job; decision: Raise }): Promise<RaisedAlert> {
      const occurredAt = new Date(job.endedAt ?? job.startedAt);
      const key = consolidationKey(job, decision);
      const base = { vaultId: job.vaultId, at: occurredAt, by: 'system', jobId: job.id };
      let recorded = false;
      const raised = await db.transaction(async (tx) => {
        await lockItem(tx, job);
        const [found] = await tx
          .select({ alertId: alertOccurrences.alertId, isNew: alertOccurrences.isNew, raisedAt: alerts.raisedAt, status: alerts.status, suppressed: alerts.suppressed })
          .from(alertOccurrences)
          .innerJoin(alerts, eq(alerts.id, alertOccurrences.alertId))
          .where(and(eq(alertOccurrences.vaultId, job.vaultId), eq(alertOccurrences.jobId, job.id)));
        if (found) {
          // A retry after the commit: planning is idempotent, so it answers the deliveries planned then.
          // An alert closed since still owes what was planned and not sent: the first try may have
          // died between a first attempt and the start of that delivery's workflow.
          const notify = found.isNew && isOpenStatus(found.status) && (!found.suppressed || decision.destructive);
          const planned = notify
            ? await planAlertEvent(tx, { vaultId: job.vaultId, alertId: found.alertId, event: 'alert.raised', at: found.raisedAt })
            : await pendingDeliveriesOf(tx, found.alertId, 'alert.raised');
          return summary(found.alertId, found.isNew, found.raisedAt, decision, { deliveryIds: planned, notify, suppressed: found.suppressed });
        }

        const values = {
          vaultId: job.vaultId, scenario: decision.scenario, severity: decision.severity, status: 'Active',
          workloadType: job.workloadType, entityName: job.entityName, jobId: job.id, latestJobId: job.id, occurrences: 1,
          errorCode: job.errorCode, errorMessage: job.errorMessage, consolidationKey: key, raisedAt: occurredAt, lastOccurredAt: occurredAt,
        };
        const occurrence = async (alertId: string, isNew: boolean) => {
          recorded = true;
          await tx.insert(alertOccurrences).values({ vaultId: job.vaultId, jobId: job.id, alertId, isNew, occurredAt });
        };

        // A success of the item that ended after this failure was processed first: the condition
        // has already cleared, so the alert is recorded as resolved by it and notifies no one.
        const resolution = await laterResolution(tx, job, decision, occurredAt);
        if (resolution) {
          const [row] = await tx.insert(alerts).values({
            ...values, status: 'Inactive', resolution: 'AutoResolved', inactivatedBy: 'system',
            inactivatedAt: resolution.endedAt, resolvedByJobId: resolution.jobId,
          }).returning({ id: alerts.id, raisedAt: alerts.raisedAt });
          await recordAlertHistory(tx, [
            { ...base, alertId: row!.id, action: 'Raised' },
            { ...base, alertId: row!.id, action: 'AutoResolved', at: resolution.endedAt, jobId: resolution.jobId },
          ]);
          await occurrence(row!.id, true);
          return summary(row!.id, true, row!.raisedAt, decision, { deliveryIds: [], notify: false, suppressed: false, resolved: true });
        }

        // Read the clock after the silences are locked, so a release that ran meanwhile is seen.
        const subject = { entityName: job.entityName, workloadType: job.workloadType, scenario: decision.scenario, severity: decision.severity };
        const silenceId = await findSuppressingSilence(tx, job.vaultId, subject, () => new Date(), { lock: true });
        const insert = tx.insert(alerts).values({ ...values, suppressed: silenceId !== null, suppressedBy: silenceId });
        // Occurrences may be processed out of order: the latest job and its message follow the newest by time.
        const newer = sql`excluded.last_occurred_at >= ${alerts.lastOccurredAt}`;
        const [row] = key
          ? await insert
              .onConflictDoUpdate({
                target: [alerts.vaultId, alerts.consolidationKey],
                targetWhere: sql`${alerts.status} in ${OPEN_STATUS_SQL} and ${alerts.consolidationKey} is not null`,
                set: {
                  occurrences: sql`${alerts.occurrences} + 1`,
                  latestJobId: sql`case when ${newer} then excluded.latest_job_id else ${alerts.latestJobId} end`,
                  errorMessage: sql`case when ${newer} then excluded.error_message else ${alerts.errorMessage} end`,
                  lastOccurredAt: sql`greatest(${alerts.lastOccurredAt}, excluded.last_occurred_at)`,
                },
              })
              .returning({ id: alerts.id, raisedAt: alerts.raisedAt, suppressed: alerts.suppressed, inserted: sql<boolean>`(xmax = 0)` })
          : await insert.returning({ id: alerts.id, raisedAt: alerts.raisedAt, suppressed: alerts.suppressed, inserted: sql<boolean>`true` });
        if (!row) throw new Error('alert upsert returned no row');
        await occurrence(row.id, row.inserted);
        if (!row.inserted) {
          await recordAlertHistory(tx, { ...base, alertId: row.id, action: 'Occurred' });
          return summary(row.id, false, row.raisedAt, decision, { deliveryIds: [], notify: false, suppressed: row.suppressed });
        }
        await recordAlertHistory(tx, [
          { ...base, alertId: row.id, action: 'Raised' },
          ...(silenceId ? [{ ...base, alertId: row.id, action: 'Suppressed' as const, at: new Date(), silenceId }] : []),
        ]);
        // A suppressed alert waits for its silence's release; a destructive one still owes its notice,
        // which is all planAlertEvent plans for a suppressed alert.
        const notify = silenceId === null || decision.destructive;
        const deliveryIds = notify
          ? await planAlertEvent(tx, { vaultId: job.vaultId, alertId: row.id, event: 'alert.raised', at: occurredAt })
          : [];
        return summary(row.id, true, row.raisedAt, decision, { deliveryIds, notify, suppressed: silenceId !== null });
      });
      // Counted after the commit, and only by the attempt that recorded the occurrence.
      if (recorded) {
        metrics.alertRaised({ severity: raised.severity, scenario: raised.scenario, consolidated: !raised.isNew });
        activityLog().info(raised.isNew ? 'alert raised' : 'alert occurrence consolidated', {
          alertId: raised.alertId, vaultId: job.vaultId, jobId: job.id, scenario: raised.scenario, severity: raised.severity,
          ...(raised.suppressed ? { suppressed: true } : {}), ...(raised.resolved ? { alreadyResolved: true } : {}),
        });
      }
      return raised;
    },

    /**
     * The vault workflow's inactivation (signals queued before the API wrote Postgres directly):
     * idempotent, an Inactive alert keeps its first who and when.
     */
    async markAlertInactive(input: { vaultId: string; alertId: string; by: string | null; at: string }): Promise<boolean> {
      const at = new Date(input.at);
      const planned = await db.transaction(async (tx) => {
        const changed = await tx
          .update(alerts)
          .set({ status: 'Inactive', resolution: 'Manual', inactivatedAt: at, inactivatedBy: input.by })
          .where(and(eq(alerts.id, input.alertId), eq(alerts.vaultId, input.vaultId), sql`${alerts.status} in ${OPEN_STATUS_SQL}`))
          .returning({ id: alerts.id });
        if (changed.length === 0) return null;
        await recordAlertHistory(tx, { alertId: input.alertId, vaultId: input.vaultId, action: 'Inactivated', by: input.by ?? 'admin', at });
        return planAlertEvent(tx, { vaultId: input.vaultId, alertId: input.alertId, event: 'alert.resolved', at });
      });
      if (planned === null) return false;
      await dispatch?.(planned);
      return true;
    },

    ...createResolveActivities({ db, dispatch }),
  };
}

function summary(
  alertId: string, isNew: boolean, raisedAt: Date, decision: Raise,
  extra: { deliveryIds: string[]; notify: boolean; suppressed: boolean; resolved?: boolean },
): RaisedAlert {
  return {
    alertId,
    isNew,
    raisedAt: raisedAt.toISOString(),
    scenario: decision.scenario,
    severity: decision.severity,
    destructive: decision.destructive,
    ...extra,
  };
}
