import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';

export interface ItemKey {
  vaultId: string;
  workloadType: string;
  entityName: string;
}

/**
 * Serialises every alert change of one protected item (raise, auto-resolve) until the caller's
 * transaction ends, so a success and a failure of the item processed together see each other.
 * A hash collision only serialises two unrelated items; it never lets two of one item interleave.
 */
export async function lockItem(tx: DbOrTx, item: ItemKey): Promise<void> {
  const key = JSON.stringify([item.vaultId, item.workloadType, item.entityName]);
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
}
