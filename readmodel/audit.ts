import { and, desc, eq, lt } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { audit } from '../db/schema';
import type { AuditAction } from '../domain/types';

export interface AuditEntry {
  principal: string;
  action: AuditAction;
  /** null for changes outside any vault (tokens). */
  vaultId: string | null;
  /** What changed, e.g. `alert/<id>`, `vault/<id>`, `webhook/<id>`, `token/<id>`. */
  target: string;
  requestId: string | null;
  at?: Date;
}

/** §7: one row per state change; call it inside the transaction that makes the change. */
export async function recordAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db.insert(audit).values({ ...entry, at: entry.at ?? new Date() });
}

export interface AuditRow {
  id: number;
  at: string;
  principal: string;
  action: AuditAction;
  target: string;
  requestId: string | null;
}

/**
 * Newest first, by row id (ids grow with time and never tie). `vaultId` undefined: every row,
 * token changes included (the global log); a string: that vault's rows only.
 */
export async function listAudit(db: DbOrTx, options: { vaultId?: string; beforeId?: number; limit: number }) {
  const rows = await db.select().from(audit)
    .where(and(
      options.vaultId === undefined ? undefined : eq(audit.vaultId, options.vaultId),
      options.beforeId === undefined ? undefined : lt(audit.id, options.beforeId),
    ))
    .orderBy(desc(audit.id))
    .limit(options.limit + 1);
  const items: AuditRow[] = rows.slice(0, options.limit).map((row) => ({
    id: row.id, at: row.at.toISOString(), principal: row.principal, action: row.action as AuditAction, target: row.target, requestId: row.requestId,
  }));
  return { items, more: rows.length > options.limit };
}
