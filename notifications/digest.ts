// §2.3 at a window's end: one digest per subscribed recipient of the window's alerts still open
// and not suppressed, floors applied. Called by the vault workflow's activity.
import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { alerts, digestEntries, digestWindows } from '../db/schema';
import { digestPlan } from '../domain/routing';
import { digestContents } from '../domain/digest';
import type { AlertStatus, Severity } from '../domain/types';
import { insertDeliveries } from './log';
import { routingSettingsOf } from './plan';

/** Plans the digests of every window of the vault that has ended and is not closed; answers delivery ids. */
export async function closeDueDigestWindows(db: Database, vaultId: string, now: Date): Promise<string[]> {
  return db.transaction(async (tx) => {
    const due = await tx.select().from(digestWindows)
      .where(and(eq(digestWindows.vaultId, vaultId), isNull(digestWindows.closedAt), lte(digestWindows.windowEnd, now)))
      .orderBy(asc(digestWindows.windowStart))
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    const settings = await routingSettingsOf(tx, vaultId);
    const ids: string[] = [];
    for (const window of due) {
      const pending = and(eq(digestEntries.vaultId, vaultId), eq(digestEntries.windowStart, window.windowStart), isNull(digestEntries.handledAt));
      // A join, not a list of ids: a window may hold tens of thousands of alerts.
      const entries = await tx
        .select({ id: alerts.id, severity: alerts.severity, status: alerts.status, suppressed: alerts.suppressed, raisedAt: alerts.raisedAt })
        .from(digestEntries)
        .innerJoin(alerts, eq(alerts.id, digestEntries.alertId))
        .where(pending);
      const contents = digestContents(entries.map((entry) => ({ ...entry, status: entry.status as AlertStatus, severity: entry.severity as Severity })));
      const open = contents.send ? contents.alerts : [];
      const part = window.parts + 1;
      const rows = digestPlan(settings, open).map(({ target, alerts: listed }) => ({
        vaultId, channel: 'email', target, event: 'digest', alertIds: listed.map((a) => a.id),
        dedupKey: `digest:${vaultId}:${window.windowStart.toISOString()}:${part}:${target.toLowerCase()}`,
        payload: { render: { kind: 'digest', windowStart: window.windowStart.toISOString(), windowEnd: window.windowEnd.toISOString() } },
      }));
      ids.push(...(await insertDeliveries(tx, rows)));
      await tx.update(digestEntries).set({ handledAt: now }).where(pending);
      await tx.update(digestWindows).set({ closedAt: now, parts: sql`${digestWindows.parts} + ${rows.length > 0 ? 1 : 0}` })
        .where(and(eq(digestWindows.vaultId, vaultId), eq(digestWindows.windowStart, window.windowStart)));
    }
    return ids;
  });
}

/** Windows that ended a while ago and are still open: their wake-up was lost (a crash after commit). */
export async function overdueWindows(db: Database, olderThan: Date, limit = 200) {
  return db.select({ vaultId: digestWindows.vaultId, windowEnd: digestWindows.windowEnd }).from(digestWindows)
    .where(and(isNull(digestWindows.closedAt), lte(digestWindows.windowEnd, olderThan)))
    .limit(limit);
}
