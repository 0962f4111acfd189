// §2.5 protected items as the API and console read them: one row per item, its health and open
// alert counts kept by the database (migration 0003), its policy resolved against the vault default.
import { and, asc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { items, vaults } from '../db/schema';
import { isDisabledPolicy, policyInForce } from '../domain/missed-backup';
import type { BackupPolicy, ItemPolicy } from '../domain/model';
import { vaultExists } from './vaults';

type ItemRow = typeof items.$inferSelect;

export interface ItemKey {
  vaultId: string;
  workloadType: string;
  entityName: string;
}

export function itemFromRow(row: ItemRow, vaultPolicy: BackupPolicy | null) {
  const policy = policyInForce(row.policy ?? null, vaultPolicy);
  return {
    vaultId: row.vaultId,
    workloadType: row.workloadType,
    entityName: row.entityName,
    protection: row.protection,
    health: row.health ?? 'Unknown',
    lastJobAt: row.lastJobAt?.toISOString() ?? null,
    lastBackup: row.lastBackupJobId
      ? { jobId: row.lastBackupJobId, status: row.lastBackupStatus!, endedAt: row.lastBackupEndedAt?.toISOString() ?? null }
      : null,
    lastSuccessfulBackupAt: row.lastSuccessfulBackupAt?.toISOString() ?? null,
    policy: policy ? { expectedEvery: policy.expectedEvery, grace: policy.grace, source: policy.source } : null,
    openAlerts: { Critical: row.openCritical, Warning: row.openWarning, Informational: row.openInformational },
  };
}
export type ItemView = ReturnType<typeof itemFromRow>;

/** What the console adds to the contract's view: the watch's own state. */
export function itemWatchFromRow(row: ItemRow) {
  return {
    optedOut: isDisabledPolicy(row.policy),
    policySince: row.policySince?.toISOString() ?? null,
    deadlineAt: row.deadlineAt?.toISOString() ?? null,
  };
}

const itemWhere = (key: ItemKey) =>
  and(eq(items.vaultId, key.vaultId), eq(items.workloadType, key.workloadType), eq(items.entityName, key.entityName));

/** The vault's default policy as a scalar subquery: rides along with a row read or written on the item. */
export const vaultPolicySql = (vaultId: string) =>
  sql<BackupPolicy | null>`(select ${vaults.backupPolicy} from ${vaults} where ${vaults.id} = ${vaultId})`;

export async function vaultBackupPolicy(db: DbOrTx, vaultId: string): Promise<BackupPolicy | null> {
  const [row] = await db.select({ policy: vaults.backupPolicy }).from(vaults).where(eq(vaults.id, vaultId));
  return row?.policy ?? null;
}

export async function findItemRow(db: DbOrTx, key: ItemKey): Promise<ItemRow | null> {
  const [row] = await db.select().from(items).where(itemWhere(key));
  return row ?? null;
}

export async function findItem(db: DbOrTx, key: ItemKey): Promise<ItemView | null> {
  const row = await findItemRow(db, key);
  return row ? itemFromRow(row, await vaultBackupPolicy(db, key.vaultId)) : null;
}

export interface ItemFilter {
  health?: string;
  workloadType?: string;
  protection?: string;
  limit: number;
  cursor: ItemCursor | null;
}

/** Keyset position: the (workloadType, entityName) of a page's last item; opaque to clients. */
export interface ItemCursor {
  workloadType: string;
  entityName: string;
}

export const encodeItemCursor = (c: ItemCursor): string =>
  Buffer.from(JSON.stringify(['i', c.workloadType, c.entityName])).toString('base64url');

/** null when the text is not a cursor this module wrote. */
export function decodeItemCursor(text: string): ItemCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 3 && value[0] === 'i' && typeof value[1] === 'string' && typeof value[2] === 'string') {
      return { workloadType: value[1], entityName: value[2] };
    }
  } catch {
    // not JSON: not ours
  }
  return null;
}

/** Ordered by workloadType, then entityName (§4): the primary key's order, so pages read off it. */
export async function listItems(db: DbOrTx, vaultId: string, filter: ItemFilter) {
  const conditions: (SQL | undefined)[] = [eq(items.vaultId, vaultId), vaultExists(vaultId)];
  if (filter.health) conditions.push(eq(items.health, filter.health));
  if (filter.workloadType) conditions.push(eq(items.workloadType, filter.workloadType));
  if (filter.protection) conditions.push(eq(items.protection, filter.protection));
  if (filter.cursor) {
    const { workloadType, entityName } = filter.cursor;
    conditions.push(sql`(${items.workloadType}, ${items.entityName}) > (${workloadType}, ${entityName})`);
  }
  // The vault's default policy rides along with each row (one statement, no separate lookup); its
  // absence from an empty page is what the route turns into a 404 or an empty list.
  const rows = await db
    .select({ row: getTableColumns(items), vaultPolicy: vaultPolicySql(vaultId) })
    .from(items)
    .where(and(...conditions))
    .orderBy(asc(items.workloadType), asc(items.entityName))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit).map(({ row, vaultPolicy }) => itemFromRow(row, vaultPolicy ?? null));
  const last = rows.length > filter.limit ? rows[filter.limit - 1]!.row : undefined;
  return { items: page, nextCursor: last ? encodeItemCursor(last) : null };
}

export type { ItemPolicy };
