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
