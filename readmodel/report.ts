// §2.8: the vault report, one query set behind GET …/report, the console overview and the weekly
// email, so the three always show the same numbers. Counting rules (also in docs/notes/reports.md):
// - a period is half-open, [from, to);
// - jobs count when finished (any terminal status) and their startedAt is in the period, every
//   operation and workload included (scheduled AzureWorkload jobs too, although never listed);
//   jobsByDay has one entry per UTC day the period touches, zeros included, oldest first;
// - alerts count when raised in the period (a consolidated alert counts once, whatever its
//   occurrences; suppressed ones count too); meanTimeToResolveMs is over those of them that are
//   Inactive now (manual or auto-resolved), so it can still change after the period ends;
// - itemsByHealth is the vault's items now (health is a current state, not a history);
// - rankings: most first, then workloadType, then entityName (stable, alphabetical ties).
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { ceilDay, dayKey, floorDay, utcDaysOf } from '../domain/report-period';
import type { DayCounts, ItemCount, VaultReport } from '../domain/report';
import { ITEM_HEALTHS, SEVERITIES, TERMINAL_STATUSES, type ItemHealth, type Severity, type TerminalStatus } from '../domain/types';

export type { DayCounts, ItemCount, VaultReport };

export const TOP_FAILING_LIMIT = 10;
// Timestamps travel as ISO text with an explicit cast, as the other read models pass them.
const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;
const TERMINAL_SQL = sql.raw(`(${TERMINAL_STATUSES.map((s) => `'${s}'`).join(', ')})`);

interface JobGroup { day: string; backup: boolean; status: TerminalStatus; n: number }

/**
 * Finished jobs by day, Backup or not, and status. Whole UTC days come from the `job_day_counts`
 * rollup (migration 0009); the partial first and last days from the jobs themselves, index-only.
 */
async function jobGroups(db: DbOrTx, vaultId: string, from: Date, to: Date): Promise<JobGroup[]> {
  const wholeStart = ceilDay(from);
  const wholeEnd = floorDay(to);
  const hasWhole = wholeStart.getTime() < wholeEnd.getTime();
  const edges = hasWhole
    ? sql`((started_at >= ${at(from)} and started_at < ${at(wholeStart)}) or (started_at >= ${at(wholeEnd)} and started_at < ${at(to)}))`
    : sql`(started_at >= ${at(from)} and started_at < ${at(to)})`;
  const whole = hasWhole
    ? sql`union all
      select to_char(day, 'YYYY-MM-DD') as day, operation = 'Backup' as backup, status, sum(count)::int as n
      from job_day_counts where vault_id = ${vaultId} and day >= ${dayKey(wholeStart)}::date and day < ${dayKey(wholeEnd)}::date
      group by 1, 2, 3`
    : sql``;
  const rows = await db.execute<{ day: string; backup: boolean; status: TerminalStatus; n: number }>(sql`
    select to_char(started_at at time zone 'UTC', 'YYYY-MM-DD') as day, operation = 'Backup' as backup, status, count(*)::int as n
    from jobs where vault_id = ${vaultId} and ${edges} and status in ${TERMINAL_SQL}
    group by 1, 2, 3
    ${whole}`);
  return [...rows];
}

function jobFigures(groups: JobGroup[], from: Date, to: Date) {
  const byDay = new Map<string, DayCounts>(utcDaysOf(from, to).map((day) => [day, { day, Completed: 0, CompletedWithWarnings: 0, Failed: 0, Cancelled: 0 }]));
  let succeeded = 0;
  let finished = 0;
  for (const group of groups) {
    const counts = byDay.get(group.day);
    if (counts) counts[group.status] += group.n;
    if (!group.backup || group.status === 'Cancelled') continue;
    finished += group.n;
    if (group.status !== 'Failed') succeeded += group.n;
  }
  return { jobsByDay: [...byDay.values()], successRate: finished === 0 ? null : succeeded / finished };
}

async function topFailingItems(db: DbOrTx, vaultId: string, from: Date, to: Date) {
  const rows = await db.execute<ItemCount & { failures: number }>(sql`
    select workload_type as "workloadType", entity_name as "entityName", count(*)::int as failures
    from jobs where vault_id = ${vaultId} and operation = 'Backup' and status = 'Failed' and started_at >= ${at(from)} and started_at < ${at(to)}
    group by 1, 2 order by 3 desc, 1, 2 limit ${TOP_FAILING_LIMIT}`);
  return [...rows];
}

async function alertFigures(db: DbOrTx, vaultId: string, from: Date, to: Date) {
  const rows = await db.execute<{ severity: Severity; scenario: string; n: number; resolved: number; resolveMs: number }>(sql`
    select severity, scenario, count(*)::int as n, count(inactivated_at)::int as resolved,
      coalesce(sum(extract(epoch from inactivated_at - raised_at) * 1000), 0)::float8 as "resolveMs"
    from alerts where vault_id = ${vaultId} and raised_at >= ${at(from)} and raised_at < ${at(to)}
    group by 1, 2 order by 2`);
  const alertsBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const alertsByScenario: Record<string, number> = {};
  let resolved = 0;
  let resolveMs = 0;
  for (const row of rows) {
    alertsBySeverity[row.severity] = (alertsBySeverity[row.severity] ?? 0) + row.n;
    alertsByScenario[row.scenario] = (alertsByScenario[row.scenario] ?? 0) + row.n;
    resolved += row.resolved;
    resolveMs += row.resolveMs;
  }
  return { alertsBySeverity, alertsByScenario, meanTimeToResolveMs: resolved === 0 ? null : Math.round(resolveMs / resolved) };
}

async function missedItems(db: DbOrTx, vaultId: string, from: Date, to: Date) {
  const rows = await db.execute<ItemCount & { misses: number }>(sql`
    select workload_type as "workloadType", entity_name as "entityName", count(*)::int as misses
    from alerts where vault_id = ${vaultId} and scenario = 'BackupMissed' and raised_at >= ${at(from)} and raised_at < ${at(to)}
    group by 1, 2 order by 3 desc, 1, 2`);
  return [...rows];
}

export async function itemsByHealth(db: DbOrTx, vaultId: string): Promise<Record<ItemHealth, number>> {
  const rows = await db.execute<{ health: ItemHealth; n: number }>(sql`
    select health, count(*)::int as n from items where vault_id = ${vaultId} group by 1`);
  const counts = Object.fromEntries(ITEM_HEALTHS.map((h) => [h, 0])) as Record<ItemHealth, number>;
  for (const row of rows) counts[row.health] = row.n;
  return counts;
}

/** The §2.8 report of one vault over `[from, to)`; the caller checks the vault and the span. */
export async function vaultReport(db: DbOrTx, vaultId: string, from: Date, to: Date): Promise<VaultReport> {
  // Independent reads: on a pool they run side by side, so the report costs its slowest query.
  const [groups, failing, alertStats, missed, health] = await Promise.all([
    jobGroups(db, vaultId, from, to),
    topFailingItems(db, vaultId, from, to),
    alertFigures(db, vaultId, from, to),
    missedItems(db, vaultId, from, to),
    itemsByHealth(db, vaultId),
  ]);
  const { jobsByDay, successRate } = jobFigures(groups, from, to);
  return {
    vaultId, from: from.toISOString(), to: to.toISOString(), jobsByDay, successRate, itemsByHealth: health,
    missedItems: missed, alertsBySeverity: alertStats.alertsBySeverity, alertsByScenario: alertStats.alertsByScenario,
    meanTimeToResolveMs: alertStats.meanTimeToResolveMs, topFailingItems: failing,
  };
}
