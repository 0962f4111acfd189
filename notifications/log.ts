// The delivery log's writer: one Pending row per message per target, keyed by a business key.
import { inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { deliveries } from '../db/schema';

export type NewDelivery = typeof deliveries.$inferInsert & { dedupKey: string };

/**
 * Inserts the rows that are not there yet and answers the ids of all of them, existing ones
 * included: a retried planner gets the same ids back and plans nothing twice.
 */
export async function insertDeliveries(db: DbOrTx, rows: readonly NewDelivery[]): Promise<string[]> {
  if (rows.length === 0) return [];
  await db.insert(deliveries).values([...rows]).onConflictDoNothing({ target: deliveries.dedupKey });
  const keys = rows.map((r) => r.dedupKey);
  const found = await db.select({ id: deliveries.id, dedupKey: deliveries.dedupKey }).from(deliveries).where(inArray(deliveries.dedupKey, keys));
  const byKey = new Map(found.map((r) => [r.dedupKey, r.id]));
  return keys.map((k) => byKey.get(k)).filter((id): id is string => id !== undefined);
}
