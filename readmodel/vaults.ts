import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Database } from '../db/client';
import { notificationSettings, vaults } from '../db/schema';
import type { NotificationSettings } from '../workflows/definitions';

type VaultRow = typeof vaults.$inferSelect;

export function vaultFromRow(row: VaultRow) {
  return {
    id: row.id,
    name: row.name,
    subscriptionId: row.subscriptionId,
    contacts: row.contacts,
    autoResolve: row.autoResolve,
    backupPolicy: row.backupPolicy ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function findVault(db: Database, vaultId: string) {
  const [row] = await db.select().from(vaults).where(eq(vaults.id, vaultId));
  return row ? vaultFromRow(row) : null;
}

export const DEFAULT_SETTINGS: NotificationSettings = { enabled: false, recipients: [], frequency: 'PerAlert' };

export async function findSettings(db: Database, vaultId: string) {
  const [row] = await db.select().from(notificationSettings).where(eq(notificationSettings.vaultId, vaultId));
  if (!row) return null;
  return {
    settings: { enabled: row.enabled, recipients: row.recipients, frequency: row.frequency } as NotificationSettings,
    requestId: row.requestId,
  };
}

/** §4 GET /v1/vaults: by id, after `afterId`; `scope` null is every vault, else only those listed. */
export async function listVaultPage(db: Database, options: { scope: string[] | null; afterId?: string; limit: number }) {
  if (options.scope !== null && options.scope.length === 0) return { items: [], more: false };
  const rows = await db.select().from(vaults)
    .where(and(
      options.scope === null ? undefined : inArray(vaults.id, options.scope),
      options.afterId === undefined ? undefined : gt(vaults.id, options.afterId),
    ))
    .orderBy(asc(vaults.id))
    .limit(options.limit + 1);
  return { items: rows.slice(0, options.limit).map(vaultFromRow), more: rows.length > options.limit };
}
