import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
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
    // jsonb keeps keys in its own order: answer them in the contract's (§4).
    contacts: { owners: row.contacts.owners, admins: row.contacts.admins, coAdmins: row.contacts.coAdmins },
    autoResolve: row.autoResolve,
    backupPolicy: row.backupPolicy ? { expectedEvery: row.backupPolicy.expectedEvery, grace: row.backupPolicy.grace } : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function findVault(db: DbOrTx, vaultId: string) {
  const [row] = await db.select().from(vaults).where(eq(vaults.id, vaultId));
  return row ? vaultFromRow(row) : null;
}

/**
 * A list query's guard that its vault exists: one primary-key probe Postgres evaluates once per
 * statement, so a page with rows proves the vault without a round trip of its own. Only an empty
 * page needs findVault, to tell 404 from an empty list.
 */
export const vaultExists = (vaultId: string): SQL => sql`exists (select 1 from ${vaults} where ${vaults.id} = ${vaultId})`;

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

export async function findSettings(db: DbOrTx, vaultId: string) {
  const [row] = await db.select().from(notificationSettings).where(eq(notificationSettings.vaultId, vaultId));
  if (!row) return null;
  return { settings: settingsFromRow(row), requestId: row.requestId, digestIntervalMs: row.digestIntervalMs };
}
