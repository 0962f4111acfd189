import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { alertHistory } from '../db/schema';
import type { AlertHistoryAction } from '../domain/types';

export interface AlertHistoryEntry {
  alertId: string;
  vaultId: string;
  action: AlertHistoryAction;
  /** A principal's name, or `system` for automatic changes. */
  by: string;
  at: Date;
  jobId?: string | null;
  channel?: string | null;
  target?: string | null;
  deliveryId?: string | null;
  silenceId?: string | null;
  comment?: string | null;
}

/** §2.4: call it inside the transaction that makes the change it records. */
export async function recordAlertHistory(db: DbOrTx, entries: AlertHistoryEntry | AlertHistoryEntry[]): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length > 0) await db.insert(alertHistory).values(list);
}

/**
 * Oldest first by `at` (an occurrence processed late still sits at its job's end), ties in the
 * order recorded; absent fields are left out of each entry.
 */
export async function alertHistoryOf(db: DbOrTx, alertId: string) {
  const rows = await db.select().from(alertHistory).where(eq(alertHistory.alertId, alertId)).orderBy(asc(alertHistory.at), asc(alertHistory.id));
  return rows.map((row) => {
    const entry: Record<string, string> = { at: row.at.toISOString(), action: row.action, by: row.by };
    for (const key of ['jobId', 'channel', 'target', 'deliveryId', 'silenceId', 'comment'] as const) {
      if (row[key] !== null) entry[key] = row[key];
    }
    return entry;
  });
}
