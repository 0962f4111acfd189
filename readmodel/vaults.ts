import { eq } from 'drizzle-orm';
import type { Database, DbOrTx } from '../db/client';
import { notificationSettings, vaults } from '../db/schema';
import type { RecipientSetting } from '../domain/model';
import type { Frequency, Severity } from '../domain/types';

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

export async function findVault(db: DbOrTx, vaultId: string) {
  const [row] = await db.select().from(vaults).where(eq(vaults.id, vaultId));
  return row ? vaultFromRow(row) : null;
}

/** §4 settings as answered: each recipient as saved (a plain string stays a string). */
export interface SettingsView {
  enabled: boolean;
  recipients: RecipientSetting[];
  frequency: Frequency;
  minSeverity: Severity;
  notifyOnResolved: boolean;
  weeklyReport: boolean;
}

export const DEFAULT_SETTINGS: SettingsView = {
  enabled: false, recipients: [], frequency: 'PerAlert', minSeverity: 'Informational', notifyOnResolved: false, weeklyReport: false,
};

type SettingsRow = typeof notificationSettings.$inferSelect;

export function settingsFromRow(row: SettingsRow): SettingsView {
  return {
    enabled: row.enabled,
    recipients: row.recipients,
    frequency: row.frequency as Frequency,
    minSeverity: (row.minSeverity ?? 'Informational') as Severity,
    notifyOnResolved: row.notifyOnResolved,
    weeklyReport: row.weeklyReport,
  };
}

export async function findSettings(db: DbOrTx, vaultId: string) {
  const [row] = await db.select().from(notificationSettings).where(eq(notificationSettings.vaultId, vaultId));
  if (!row) return null;
  return { settings: settingsFromRow(row), requestId: row.requestId, digestIntervalMs: row.digestIntervalMs };
}
