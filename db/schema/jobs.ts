// Jobs, their per-day counts for reports (§2.8) and the one accepted outcome of each (§8).
import { sql } from 'drizzle-orm';
import { bigint, boolean, date, index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { ts } from './shared';

export const jobs = pgTable(
  'jobs',
  {
    vaultId: text('vault_id').notNull(),
    id: text('id').notNull(),
    workloadType: text('workload_type').notNull(),
    operation: text('operation').notNull(),
    trigger: text('trigger').notNull(),
    entityName: text('entity_name').notNull(),
    status: text('status').notNull(),
    listed: boolean('listed').notNull(),
    startedAt: ts('started_at').notNull(),
    endedAt: ts('ended_at'),
    durationMs: bigint('duration_ms', { mode: 'number' }),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    warnings: jsonb('warnings').$type<string[]>().notNull().default([]),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.vaultId, t.id] }),
    // Keyset pagination: (started_at, id) descending within a vault's listed jobs. NULLS FIRST is
    // what `ORDER BY x DESC` means: with drizzle's default NULLS LAST, Postgres sorts the vault instead.
    index('jobs_list_idx').on(t.vaultId, t.startedAt.desc().nullsFirst(), t.id.desc().nullsFirst()).where(sql`${t.listed}`),
    index('jobs_in_progress_item_idx').on(t.vaultId, t.workloadType, t.entityName).where(sql`${t.status} = 'InProgress'`),
    index('jobs_entity_list_idx').on(t.vaultId, t.entityName, t.startedAt.desc().nullsFirst(), t.id.desc().nullsFirst()).where(sql`${t.listed}`),
    index('jobs_operation_list_idx').on(t.vaultId, t.operation, t.startedAt.desc().nullsFirst(), t.id.desc().nullsFirst()).where(sql`${t.listed}`),
    // Reports (§2.8): the partial first and last day of a period, and failing items. Migration 0009
    // adds INCLUDE columns (operation, status / workload_type, entity_name), which drizzle cannot spell.
    index('jobs_report_idx').on(t.vaultId, t.startedAt),
    index('jobs_failed_backup_idx').on(t.vaultId, t.startedAt)
      .where(sql`${t.operation} = 'Backup' AND ${t.status} = 'Failed'`),
  ],
);

/**
 * §2.8: finished jobs per vault, UTC day (of startedAt), operation and status. Kept by statement
 * triggers on jobs (migration 0009), so no code path can forget it; reports read whole days here.
 */
export const jobDayCounts = pgTable(
  'job_day_counts',
  {
    vaultId: text('vault_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    operation: text('operation').notNull(),
    status: text('status').notNull(),
    count: bigint('count', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ name: 'job_day_counts_pk', columns: [t.vaultId, t.day, t.operation, t.status] })],
);

/** §8: the one accepted outcome of a job, claimed by the API before it signals the workflow. */
export const jobOutcomes = pgTable(
  'job_outcomes',
  {
    vaultId: text('vault_id').notNull(),
    jobId: text('job_id').notNull(),
    kind: text('kind').notNull(),
    signal: jsonb('signal').$type<Record<string, unknown>>().notNull(),
    claimedAt: ts('claimed_at').notNull().defaultNow(),
    signalledAt: ts('signalled_at'),
  },
  (t) => [primaryKey({ columns: [t.vaultId, t.jobId] }), index('job_outcomes_unsignalled_idx').on(t.claimedAt).where(sql`${t.signalledAt} is null`)],
);
