import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Database, DbOrTx } from '../db/client';
import { alerts, OPEN_STATUS_SQL } from '../db/schema';
import { SEVERITIES, type Severity } from '../domain/types';
import { keysetPage, olderThan, type Cursor } from './cursor';
import { vaultExists } from './vaults';

type AlertRow = typeof alerts.$inferSelect;

export function alertFromRow(row: AlertRow) {
  return {
    id: row.id,
    vaultId: row.vaultId,
    scenario: row.scenario,
    severity: row.severity,
    status: row.status,
    workloadType: row.workloadType,
    entityName: row.entityName,
    jobId: row.jobId,
    latestJobId: row.latestJobId,
    occurrences: row.occurrences,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    raisedAt: row.raisedAt.toISOString(),
    lastOccurredAt: row.lastOccurredAt.toISOString(),
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: row.acknowledgedBy,
    inactivatedAt: row.inactivatedAt?.toISOString() ?? null,
    inactivatedBy: row.inactivatedBy,
    resolution: row.resolution,
    resolvedByJobId: row.resolvedByJobId,
    suppressed: row.suppressed,
  } as const;
}
export type AlertView = ReturnType<typeof alertFromRow>;

/** `Open` (Active or Acknowledged) is accepted beside the stored statuses. */
export const ALERT_STATUS_FILTERS = ['Active', 'Acknowledged', 'Inactive', 'Open'] as const;

export interface AlertFilter {
  status?: string;
  /** Any of these statuses (e.g. the open ones); combined with `status` when both are given. */
  statuses?: readonly string[];
  severity?: string;
  scenario?: string;
  entityName?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor: Cursor | null;
}

export async function findAlert(db: DbOrTx, vaultId: string, alertId: string): Promise<AlertView | null> {
  const [row] = await db.select().from(alerts).where(and(eq(alerts.vaultId, vaultId), eq(alerts.id, alertId)));
  return row ? alertFromRow(row) : null;
}

export async function listAlerts(db: Database, vaultId: string, filter: AlertFilter) {
  const conditions: (SQL | undefined)[] = [eq(alerts.vaultId, vaultId), vaultExists(vaultId)];
  if (filter.status === 'Open') conditions.push(sql`${alerts.status} in ${OPEN_STATUS_SQL}`);
  else if (filter.status) conditions.push(eq(alerts.status, filter.status));
  if (filter.statuses) conditions.push(inArray(alerts.status, [...filter.statuses]));
  if (filter.severity) conditions.push(eq(alerts.severity, filter.severity));
  if (filter.scenario) conditions.push(eq(alerts.scenario, filter.scenario));
  if (filter.entityName) conditions.push(eq(alerts.entityName, filter.entityName));
  if (filter.from) conditions.push(gte(alerts.raisedAt, filter.from));
  if (filter.to) conditions.push(lt(alerts.raisedAt, filter.to));
  if (filter.cursor) conditions.push(olderThan(alerts.raisedAt, alerts.id, filter.cursor));
  const rows = await db
    .select()
    .from(alerts)
    .where(and(...conditions))
    .orderBy(desc(alerts.raisedAt), desc(alerts.id))
    .limit(filter.limit + 1);
  return keysetPage(rows, filter.limit, alertFromRow, (row) => ({ at: row.raisedAt, id: row.id }));
}

/** Open (Active or Acknowledged) alerts by severity: what `summary.active` counts (§4). */
export async function activeAlertSummary(db: Database, vaultId: string): Promise<Record<Severity, number>> {
  const rows = await db
    .select({ severity: alerts.severity, count: sql<number>`count(*)::int` })
    .from(alerts)
    .where(and(eq(alerts.vaultId, vaultId), sql`${alerts.status} in ${OPEN_STATUS_SQL}`))
    .groupBy(alerts.severity);
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const row of rows) counts[row.severity as Severity] = row.count;
  return counts;
}
