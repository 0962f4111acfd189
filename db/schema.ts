import { sql } from 'drizzle-orm';
import {
  boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: 'date' });

export const vaults = pgTable('vaults', {
  id: text('id').primaryKey(),
  name: text('name'),
  subscriptionId: text('subscription_id'),
  contacts: jsonb('contacts').$type<{ owners: string[]; admins: string[]; coAdmins: string[] }>().notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

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
    durationMs: integer('duration_ms'),
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
  ],
);

export const alerts = pgTable(
  'alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    vaultId: text('vault_id').notNull(),
    scenario: text('scenario').notNull(),
    severity: text('severity').notNull(),
    status: text('status').notNull(),
    workloadType: text('workload_type').notNull(),
    entityName: text('entity_name').notNull(),
    jobId: text('job_id').notNull(),
    latestJobId: text('latest_job_id').notNull(),
    occurrences: integer('occurrences').notNull().default(1),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    consolidationKey: text('consolidation_key'),
    raisedAt: ts('raised_at').notNull(),
    lastOccurredAt: ts('last_occurred_at').notNull(),
    inactivatedAt: ts('inactivated_at'),
    inactivatedBy: text('inactivated_by'),
  },
  (t) => [
    // At most one Active alert per root cause: the consolidation upsert targets this index.
    uniqueIndex('alerts_active_key_idx')
      .on(t.vaultId, t.consolidationKey)
      .where(sql`${t.status} = 'Active' and ${t.consolidationKey} is not null`),
    index('alerts_list_idx').on(t.vaultId, t.raisedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('alerts_active_severity_idx').on(t.vaultId, t.severity).where(sql`${t.status} = 'Active'`),
  ],
);

/** One row per job that raised or joined an alert: makes raising idempotent across retries. */
export const alertOccurrences = pgTable(
  'alert_occurrences',
  {
    vaultId: text('vault_id').notNull(),
    jobId: text('job_id').notNull(),
    alertId: uuid('alert_id').notNull(),
    isNew: boolean('is_new').notNull(),
    occurredAt: ts('occurred_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.vaultId, t.jobId] })],
);

export const notificationSettings = pgTable('notification_settings', {
  vaultId: text('vault_id').primaryKey(),
  enabled: boolean('enabled').notNull(),
  recipients: jsonb('recipients').$type<string[]>().notNull(),
  frequency: text('frequency').notNull(),
  requestId: text('request_id'),
  updatedBy: text('updated_by'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** The notification log: one row per logical email, keyed so a send happens at most once. */
export const emailOutbox = pgTable(
  'email_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    idempotencyKey: text('idempotency_key').notNull(),
    kind: text('kind').notNull(),
    vaultId: text('vault_id').notNull(),
    recipients: jsonb('recipients').$type<string[]>().notNull(),
    alertIds: jsonb('alert_ids').$type<string[]>().notNull().default([]),
    subject: text('subject').notNull(),
    /** The first rendering, reused by every retry so the provider sees one identical payload per key. */
    html: text('html'),
    textBody: text('text_body'),
    status: text('status').notNull().default('Pending'),
    providerId: text('provider_id'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    sentAt: ts('sent_at'),
  },
  (t) => [uniqueIndex('email_outbox_key_idx').on(t.idempotencyKey), index('email_outbox_vault_idx').on(t.vaultId, t.createdAt)],
);
