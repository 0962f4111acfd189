import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { alerts, OPEN_STATUS_SQL, silences } from '../db/schema';
import { nextReleaseAt } from '../domain/silences';
import type { Scenario, Severity, WorkloadType } from '../domain/types';
import { planAlertEvent } from '../notifications/plan';
import { recordAlertHistory } from '../readmodel/alert-history';
import { findSuppressingSilence } from '../readmodel/silences';
import { activityLog } from './log';
import { dispatchAfterCommit, type Dispatch } from './resolve';

/** The later of the activity's clock and the instant the workflow woke for: clock skew cannot stall a release. */
const clock = (atLeast?: string) => new Date(Math.max(Date.now(), atLeast ? Date.parse(atLeast) : 0));

export function createSilenceActivities({ db, dispatch }: { db: Database; dispatch?: Dispatch }) {
  return {
    /** When the silence must next release what it holds: the end of the occurrence in force or next; null: never again. */
    async silenceReleaseAt({ silenceId, after }: { silenceId: string; after?: string }): Promise<string | null> {
      const [row] = await db.select().from(silences).where(eq(silences.id, silenceId));
      if (!row) return null;
      return nextReleaseAt(row, clock(after))?.toISOString() ?? null;
    },

    /**
     * §2.7: every alert this silence suppressed that is still open and not covered by another active
     * silence is notified now (planned as `alert.raised` at this instant, so an HourlyDigest vault
     * gets it in the window where the silence ends), once: its `suppressed` flag is cleared in the
     * same transaction. One covered by another active silence is handed over to that one; resolved
     * ones stay as they are and are never notified. Locking the silence FOR UPDATE orders this after
     * any raise that is suppressing under it (raiseAlert locks the silences it checks FOR SHARE).
     */
    async releaseSilence({ silenceId, at }: { silenceId: string; at?: string }): Promise<{ released: string[]; handedOver: string[] }> {
      const result = await db.transaction(async (tx) => {
        const [found] = await tx.select({ vaultId: silences.vaultId }).from(silences).where(eq(silences.id, silenceId));
        if (!found) return { released: [], handedOver: [], deliveryIds: [] };
        // One release per vault at a time: two overlapping silences ending together would otherwise
        // lock each other's rows in opposite orders, and a hand-over could miss the other's release.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${JSON.stringify(['silence-release', found.vaultId])}))`);
        const [silence] = await tx.select({ id: silences.id, vaultId: silences.vaultId }).from(silences).where(eq(silences.id, silenceId)).for('update');
        if (!silence) return { released: [], handedOver: [], deliveryIds: [] };
        const now = clock(at);
        const held = await tx.select().from(alerts)
          .where(and(eq(alerts.suppressedBy, silenceId), eq(alerts.suppressed, true), sql`${alerts.status} in ${OPEN_STATUS_SQL}`));
        const released: string[] = [];
        const handedOver: string[] = [];
        const deliveryIds: string[] = [];
        for (const alert of held) {
          const subject = { entityName: alert.entityName, workloadType: alert.workloadType as WorkloadType, scenario: alert.scenario as Scenario, severity: alert.severity as Severity };
          const other = await findSuppressingSilence(tx, silence.vaultId, subject, now, { lock: true });
          if (other === silenceId) continue; // an overlapping occurrence of this silence is in force
          if (other) {
            await tx.update(alerts).set({ suppressedBy: other }).where(eq(alerts.id, alert.id));
            await recordAlertHistory(tx, { alertId: alert.id, vaultId: silence.vaultId, action: 'Suppressed', by: 'system', at: now, silenceId: other });
            handedOver.push(alert.id);
            continue;
          }
          // Re-checked in the write: a resolution that committed after the read above left the alert
          // Inactive and still suppressed, and it must stay that way (resolved under the silence:
          // never notified, §2.7). The row lock orders this after any such resolution.
          const [cleared] = await tx.update(alerts).set({ suppressed: false })
            .where(and(eq(alerts.id, alert.id), eq(alerts.suppressed, true), sql`${alerts.status} in ${OPEN_STATUS_SQL}`))
            .returning({ id: alerts.id });
          if (!cleared) continue;
          deliveryIds.push(...await planAlertEvent(tx, { vaultId: silence.vaultId, alertId: alert.id, event: 'alert.raised', at: now }));
          released.push(alert.id);
        }
        return { released, handedOver, deliveryIds };
      });
      if (result.released.length + result.handedOver.length > 0) {
        activityLog().info('silence released its alerts', { silenceId, released: result.released, handedOver: result.handedOver });
      }
      await dispatchAfterCommit(dispatch, result.deliveryIds);
      return { released: result.released, handedOver: result.handedOver };
    },
  };
}
