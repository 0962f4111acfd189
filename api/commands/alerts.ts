// Acknowledge and inactivate are direct Postgres transactions (§2.6 isolation, §4 read-your-writes):
// the alert, its history, the audit row and the notifications owed commit together; sending starts
// after the commit and never delays the answer's state.
import { and, eq } from 'drizzle-orm';
import { alerts } from '../../db/schema';
import { isOpenStatus } from '../../domain/types';
import { dispatchDeliveries } from '../../notifications/dispatch';
import { planAlertEvent, type AlertEventType } from '../../notifications/plan';
import { recordAlertHistory } from '../../readmodel/alert-history';
import { recordAudit } from '../../readmodel/audit';
import type { AppDeps } from '../deps';
import { notFound, ProblemError } from '../problem';

export interface AlertChange {
  by: string;
  comment?: string | null;
  requestId: string | null;
}

type Outcome = { id: string; status: 'Acknowledged' | 'Inactive' };

async function changeAlert(
  deps: AppDeps, vaultId: string, alertId: string, change: AlertChange,
  apply: (row: typeof alerts.$inferSelect, at: Date) => { set: Partial<typeof alerts.$inferInsert>; event: AlertEventType; action: 'Acknowledged' | 'Inactivated'; audit: 'alert.acknowledged' | 'alert.inactivated' } | null,
  answer: (row: typeof alerts.$inferSelect) => Outcome,
): Promise<Outcome> {
  const at = deps.now?.() ?? new Date();
  const { outcome, deliveryIds } = await deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(alerts).where(and(eq(alerts.vaultId, vaultId), eq(alerts.id, alertId))).for('update');
    if (!row) throw notFound(`Alert ${alertId} in vault ${vaultId}`);
    const step = apply(row, at);
    if (!step) return { outcome: answer(row), deliveryIds: [] as string[] };
    const [updated] = await tx.update(alerts).set(step.set).where(eq(alerts.id, alertId)).returning();
    await recordAlertHistory(tx, { alertId, vaultId, action: step.action, by: change.by, at, comment: change.comment ?? null });
    await recordAudit(tx, { principal: change.by, action: step.audit, vaultId, target: `alert/${alertId}`, requestId: change.requestId, at });
    // A suppressed alert was never notified: its acknowledgement or resolution is news to no one.
    const planned = row.suppressed ? [] : await planAlertEvent(tx, { vaultId, alertId, event: step.event, at });
    return { outcome: answer(updated!), deliveryIds: planned };
  });
  if (deliveryIds.length > 0) {
    await dispatchDeliveries({ client: deps.temporal, taskQueue: deps.taskQueue }, deliveryIds).catch((error: unknown) => {
      deps.log.warn({ err: error, alertId, deliveryIds }, 'dispatch failed; the sweeper will send these deliveries');
    });
  }
  return outcome;
}

/** §2.4: "I am on it". An acknowledged alert stays open; acknowledging it again changes nothing; an Inactive one is a 409. */
export function acknowledgeAlert(deps: AppDeps, vaultId: string, alertId: string, change: AlertChange) {
  return changeAlert(deps, vaultId, alertId, change, (row, at) => {
    if (row.status === 'Inactive') throw new ProblemError(409, `Alert ${alertId} is Inactive; only an open alert can be acknowledged.`);
    if (row.status === 'Acknowledged') return null;
    return { set: { status: 'Acknowledged', acknowledgedAt: at, acknowledgedBy: change.by }, event: 'alert.acknowledged', action: 'Acknowledged', audit: 'alert.acknowledged' };
  }, (row) => ({ id: row.id, status: row.status as Outcome['status'] }));
}

/** §2.4: from Active or Acknowledged, `resolution: Manual`; idempotent (an Inactive alert keeps its first who and when). */
export function inactivateAlert(deps: AppDeps, vaultId: string, alertId: string, change: AlertChange) {
  return changeAlert(deps, vaultId, alertId, change, (row, at) => {
    if (!isOpenStatus(row.status)) return null;
    return { set: { status: 'Inactive', resolution: 'Manual', inactivatedAt: at, inactivatedBy: change.by }, event: 'alert.resolved', action: 'Inactivated', audit: 'alert.inactivated' };
  }, (row) => ({ id: row.id, status: 'Inactive' }));
}
