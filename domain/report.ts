// The §2.8 report's shape and the few derived figures every rendering shows (console, email), so
// that they cannot disagree with each other or with the JSON.
import type { ItemHealth, Severity, TerminalStatus } from './types';

export type DayCounts = { day: string } & Record<TerminalStatus, number>;
export type ItemCount = { workloadType: string; entityName: string };

export interface VaultReport {
  vaultId: string;
  from: string;
  to: string;
  jobsByDay: DayCounts[];
  successRate: number | null;
  itemsByHealth: Record<ItemHealth, number>;
  missedItems: (ItemCount & { misses: number })[];
  alertsBySeverity: Record<Severity, number>;
  alertsByScenario: Record<string, number>;
  meanTimeToResolveMs: number | null;
  topFailingItems: (ItemCount & { failures: number })[];
}

export const STATUS_ORDER: readonly TerminalStatus[] = ['Completed', 'CompletedWithWarnings', 'Failed', 'Cancelled'];

export const dayTotal = (day: DayCounts): number => STATUS_ORDER.reduce((sum, status) => sum + day[status], 0);

/** Finished jobs of the period by status, and all of them. */
export function jobTotals(report: Pick<VaultReport, 'jobsByDay'>): Record<TerminalStatus, number> & { total: number } {
  const totals = { Completed: 0, CompletedWithWarnings: 0, Failed: 0, Cancelled: 0, total: 0 };
  for (const day of report.jobsByDay) for (const status of STATUS_ORDER) totals[status] += day[status];
  totals.total = STATUS_ORDER.reduce((sum, status) => sum + totals[status], 0);
  return totals;
}

/** `98.1 %`, or `—` when no backup finished. One decimal: 99.96 % must not read as 100 %. */
export function formatRate(rate: number | null): string {
  if (rate === null) return '—';
  const percent = Math.floor(rate * 1000) / 10;
  return `${percent.toFixed(1)} %`;
}

/** A success rate per day (Backup and other operations alike: the chart's line), null when none. */
export const daySuccessRate = (day: DayCounts): number | null => {
  const finished = day.Completed + day.CompletedWithWarnings + day.Failed;
  return finished === 0 ? null : (day.Completed + day.CompletedWithWarnings) / finished;
};

/** `1 h 30 min`, `12 min`, `45 s`: a mean time to resolve in words; `—` when none. */
export function formatSpan(ms: number | null): string {
  if (ms === null) return '—';
  const minutes = Math.round(ms / 60_000);
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
