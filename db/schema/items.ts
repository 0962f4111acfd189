// Protected items (§2.5) and the per-vault missed-backup watch over them.
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { BackupPolicy, ItemPolicy } from '../../domain/model';
import { ts } from './shared';

/** §2.5: one row per protected item, known from its first job. */
export const items = pgTable(
  'items',
  {
    vaultId: text('vault_id').notNull(),
    workloadType: text('workload_type').notNull(),
    entityName: text('entity_name').notNull(),
    protection: text('protection').notNull().default('Protected'),
    lastJobId: text('last_job_id'),
    lastJobAt: ts('last_job_at'),
    lastBackupJobId: text('last_backup_job_id'),
    lastBackupStatus: text('last_backup_status'),
    lastBackupEndedAt: ts('last_backup_ended_at'),
    lastSuccessfulBackupAt: ts('last_successful_backup_at'),
    /** The per-item override: a policy or `{disabled: true}`; null: the vault default applies. */
    policy: jsonb('policy').$type<ItemPolicy | null>(),
    /** When the policy in force started to apply (set, changed, or the item first seen). */
    policySince: ts('policy_since'),
    lastMissedInactivatedAt: ts('last_missed_inactivated_at'),
    /** The end of the job that last set `protection`: a job finishing out of order cannot undo a later one. */
    protectionAt: ts('protection_at'),
    /** When a BackupMissed alert is due if nothing succeeds; null: not watched. */
    deadlineAt: ts('deadline_at'),
    /** Open alerts by severity, kept by a trigger on alerts so no code path can forget them. */
    openCritical: integer('open_critical').notNull().default(0),
    openWarning: integer('open_warning').notNull().default(0),
    openInformational: integer('open_informational').notNull().default(0),
    health: text('health').generatedAlwaysAs(sql`case when open_critical > 0 then 'Critical' when open_warning > 0 then 'Warning' when last_backup_status in ('Completed', 'CompletedWithWarnings') then 'Healthy' else 'Unknown' end`),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.vaultId, t.workloadType, t.entityName] }),
    index('items_health_idx').on(t.vaultId, t.health, t.workloadType, t.entityName),
    index('items_deadline_idx').on(t.deadlineAt).where(sql`${t.deadlineAt} is not null`),
    // The per-vault watch asks for its vault's earliest deadline and its due items.
    index('items_vault_deadline_idx').on(t.vaultId, t.deadlineAt).where(sql`${t.deadlineAt} is not null`),
  ],
);

/**
 * One row per vault whose missed-backup watch exists: the time its workflow sleeps until (null:
 * nothing to watch) and the vault default it last applied to the vault's items.
 */
export const backupWatches = pgTable('backup_watches', {
  vaultId: text('vault_id').primaryKey(),
  wakeAt: ts('wake_at'),
  vaultPolicy: jsonb('vault_policy').$type<BackupPolicy | null>(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
