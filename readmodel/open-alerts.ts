import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { alerts } from '../db/schema';
import { OPEN_ALERT_STATUSES, SEVERITIES, type Severity } from '../domain/types';
import { alertFromRow, type AlertView } from './alerts';

// Worst first, as SEVERITIES lists them; then newest first.
const SEVERITY_RANK = sql.raw(`case severity ${SEVERITIES.map((s, i) => `when '${s}' then ${i}`).join(' ')} else ${SEVERITIES.length} end`);

/** The vault's open alerts (Active or Acknowledged), worst severity first, then newest; and how many. */
export async function listOpenAlerts(db: DbOrTx, vaultId: string, limit = 25): Promise<{ items: AlertView[]; counts: Record<Severity, number> }> {
  const open = and(eq(alerts.vaultId, vaultId), inArray(alerts.status, [...OPEN_ALERT_STATUSES]));
  const [rows, grouped] = await Promise.all([
    db.select().from(alerts).where(open).orderBy(SEVERITY_RANK, desc(alerts.raisedAt), desc(alerts.id)).limit(limit),
    db.select({ severity: alerts.severity, n: sql<number>`count(*)::int` }).from(alerts).where(open).groupBy(alerts.severity),
  ]);
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const row of grouped) counts[row.severity as Severity] = row.n;
  return { items: rows.map(alertFromRow), counts };
}
