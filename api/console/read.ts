import { and, asc, gt, ilike, inArray, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { vaults } from '../../db/schema';

export const VAULTS_PAGE = 100;

// A search for "50%" or "a_b" means those characters, not LIKE wildcards.
const likeText = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Vaults by id, with their open alert counts so the list shows where attention is needed. */
export async function listVaults(db: Database, options: { after?: string; search?: string; scope?: string[] | null }, limit = VAULTS_PAGE) {
  const { after, search, scope } = options;
  if (scope && scope.length === 0) return { items: [], nextAfter: null };
  const rows = await db
    .select({
      id: vaults.id,
      name: vaults.name,
      subscriptionId: vaults.subscriptionId,
      // Spelled out: drizzle renders a column as a bare "id" in a select list, which the subquery would
      // resolve to the alert's id. Correlated counts use the partial index of open alerts per vault.
      activeCritical: sql<number>`(select count(*)::int from alerts a where a.vault_id = vaults.id and a.status in ('Active', 'Acknowledged') and a.severity = 'Critical')`,
      activeTotal: sql<number>`(select count(*)::int from alerts a where a.vault_id = vaults.id and a.status in ('Active', 'Acknowledged'))`,
    })
    .from(vaults)
    .where(and(
      after ? gt(vaults.id, after) : undefined,
      // A scoped token sees only its vaults (§7), here as in GET /v1/vaults.
      scope ? inArray(vaults.id, scope) : undefined,
      search ? or(ilike(vaults.id, likeText(search)), ilike(vaults.name, likeText(search))) : undefined,
    ))
    .orderBy(asc(vaults.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  return { items, nextAfter: rows.length > limit ? items[items.length - 1]?.id ?? null : null };
}
export type VaultListItem = Awaited<ReturnType<typeof listVaults>>['items'][number];
