// Vaults, and who may act on them (§7): bearer tokens and the audit of every state change.
import { bigserial, boolean, index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { BackupPolicy } from '../../domain/model';
import { ts } from './shared';

export const vaults = pgTable('vaults', {
  id: text('id').primaryKey(),
  name: text('name'),
  subscriptionId: text('subscription_id'),
  contacts: jsonb('contacts').$type<{ owners: string[]; admins: string[]; coAdmins: string[] }>().notNull(),
  autoResolve: boolean('auto_resolve').notNull().default(true),
  /** The vault's default backup policy (§2.5); null: no watch by default. */
  backupPolicy: jsonb('backup_policy').$type<BackupPolicy | null>(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** §7 bearer tokens: only a SHA-256 of the secret is kept. */
export const tokens = pgTable(
  'tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    /** null: every vault. */
    vaults: jsonb('vaults').$type<string[] | null>(),
    secretHash: text('secret_hash').notNull(),
    expiresAt: ts('expires_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [uniqueIndex('tokens_hash_idx').on(t.secretHash)],
);

/** §7: one row per state change. */
export const audit = pgTable(
  'audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull().defaultNow(),
    principal: text('principal').notNull(),
    action: text('action').notNull(),
    vaultId: text('vault_id'),
    target: text('target').notNull(),
    requestId: text('request_id'),
  },
  (t) => [index('audit_vault_idx').on(t.vaultId, t.id)],
);
