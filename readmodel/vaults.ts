import { eq } from 'drizzle-orm';
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
