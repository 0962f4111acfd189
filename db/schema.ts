import { sql } from 'drizzle-orm';
import {
  bigint, bigserial, boolean, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';
import type { BackupPolicy, ItemPolicy, RecipientSetting, SilenceMatch } from '../domain/model';

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: 'date' });
/** The one SQL spelling of "open" (§2.4: Active or Acknowledged), used by partial indexes and queries. */
export const OPEN_STATUS_SQL = sql.raw(`('Active', 'Acknowledged')`);

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
    acknowledgedAt: ts('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
    inactivatedAt: ts('inactivated_at'),
    inactivatedBy: text('inactivated_by'),
    /** `Manual` or `AutoResolved` once Inactive. */
    resolution: text('resolution'),
    resolvedByJobId: text('resolved_by_job_id'),
    /** Raised while a matching silence was active; cleared when the silence releases it. */
    suppressed: boolean('suppressed').notNull().default(false),
    suppressedBy: uuid('suppressed_by'),
  },
  (t) => [
    // At most one open alert per root cause: the consolidation upsert targets this index.
    uniqueIndex('alerts_open_key_idx')
      .on(t.vaultId, t.consolidationKey)
      .where(sql`${t.status} in ${OPEN_STATUS_SQL} and ${t.consolidationKey} is not null`),
    index('alerts_list_idx').on(t.vaultId, t.raisedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('alerts_entity_list_idx').on(t.vaultId, t.entityName, t.raisedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('alerts_status_list_idx').on(t.vaultId, t.status, t.raisedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('alerts_open_severity_idx').on(t.vaultId, t.severity).where(sql`${t.status} in ${OPEN_STATUS_SQL}`),
    // Auto-resolve and item health look up an item's open alerts.
    index('alerts_open_item_idx').on(t.vaultId, t.workloadType, t.entityName).where(sql`${t.status} in ${OPEN_STATUS_SQL}`),
    // Reports: alerts raised in a period; 0009 INCLUDEs every counted column so it reads index-only.
    index('alerts_report_idx').on(t.vaultId, t.raisedAt),
    // A silence's release looks up the alerts it still holds back.
    index('alerts_suppressed_idx').on(t.suppressedBy).where(sql`${t.suppressed}`),
  ],
);

/**
 * The latest job that resolved each scenario on a protected item (§2.4), written under the item's
 * lock by auto-resolve: a failure that ended before it is raised already resolved, so a success and
 * a failure processed in either order leave the same state.
 */
export const itemResolutions = pgTable(
  'item_resolutions',
  {
    vaultId: text('vault_id').notNull(),
    workloadType: text('workload_type').notNull(),
    entityName: text('entity_name').notNull(),
    scenario: text('scenario').notNull(),
    jobId: text('job_id').notNull(),
    endedAt: ts('ended_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.vaultId, t.workloadType, t.entityName, t.scenario] })],
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

/** §2.4 history: written in the same transaction as the change it records. */
export const alertHistory = pgTable(
  'alert_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    alertId: uuid('alert_id').notNull(),
    vaultId: text('vault_id').notNull(),
    at: ts('at').notNull(),
    action: text('action').notNull(),
    by: text('by').notNull(),
    jobId: text('job_id'),
    channel: text('channel'),
    target: text('target'),
    deliveryId: uuid('delivery_id'),
    silenceId: uuid('silence_id'),
    comment: text('comment'),
  },
  (t) => [index('alert_history_alert_idx').on(t.alertId, t.id)],
);

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

export const notificationSettings = pgTable('notification_settings', {
  vaultId: text('vault_id').primaryKey(),
  enabled: boolean('enabled').notNull(),
  /** Each recipient as saved: a plain address or `{address, minSeverity}`. */
  recipients: jsonb('recipients').$type<RecipientSetting[]>().notNull(),
  frequency: text('frequency').notNull(),
  minSeverity: text('min_severity').notNull().default('Informational'),
  notifyOnResolved: boolean('notify_on_resolved').notNull().default(false),
  weeklyReport: boolean('weekly_report').notNull().default(false),
  /** DIGEST_INTERVAL of the API that saved them: planning, the digest and the welcome email agree on windows. */
  digestIntervalMs: bigint('digest_interval_ms', { mode: 'number' }),
  requestId: text('request_id'),
  updatedBy: text('updated_by'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const webhooks = pgTable(
  'webhooks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    vaultId: text('vault_id').notNull(),
    url: text('url').notNull(),
    format: text('format').notNull().default('standard'),
    events: jsonb('events').$type<string[]>().notNull(),
    minSeverity: text('min_severity').notNull().default('Informational'),
    description: text('description'),
    enabled: boolean('enabled').notNull().default(true),
    /** The `whsec_…` signing secret: read only by the worker when it signs, never answered or logged. */
    secret: text('secret').notNull(),
    disabledReason: text('disabled_reason'),
    createdAt: ts('created_at').notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    deletedAt: ts('deleted_at'),
  },
  (t) => [index('webhooks_vault_idx').on(t.vaultId, t.createdAt)],
);

/**
 * The delivery log (§2.6): one row per message to one target. Its id is the Resend idempotency
 * key, the SMTP Message-ID and the `webhook-id`; `dedupKey` makes creating it idempotent.
 */
export const deliveries = pgTable(
  'deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    dedupKey: text('dedup_key').notNull(),
    vaultId: text('vault_id').notNull(),
    channel: text('channel').notNull(),
    target: text('target').notNull(),
    webhookId: uuid('webhook_id'),
    event: text('event').notNull(),
    alertId: uuid('alert_id'),
    alertIds: jsonb('alert_ids').$type<string[]>().notNull().default([]),
    /** The payload as first rendered, so every attempt sends identical bytes. */
    payload: jsonb('payload').$type<Record<string, unknown>>(),
    status: text('status').notNull().default('Pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    providerId: text('provider_id'),
    /** An attempt started and its outcome is not known yet (a crash or timeout mid-send). */
    inFlightSince: ts('in_flight_since'),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastAttemptAt: ts('last_attempt_at'),
    deliveredAt: ts('delivered_at'),
  },
  (t) => [
    uniqueIndex('deliveries_dedup_idx').on(t.dedupKey),
    index('deliveries_list_idx').on(t.vaultId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('deliveries_status_list_idx').on(t.vaultId, t.status, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('deliveries_alert_idx').on(t.alertId),
    index('deliveries_pending_idx').on(t.createdAt).where(sql`${t.status} = 'Pending'`),
  ],
);

/** §2.7 maintenance windows. */
export const silences = pgTable(
  'silences',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    vaultId: text('vault_id').notNull(),
    match: jsonb('match').$type<SilenceMatch>().notNull(),
    comment: text('comment').notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at'),
    rrule: text('rrule'),
    duration: text('duration'),
    durationMs: bigint('duration_ms', { mode: 'number' }),
    createdAt: ts('created_at').notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    /** Deleting a silence expires it at once; the row stays for history and release. */
    deletedAt: ts('deleted_at'),
  },
  (t) => [index('silences_vault_idx').on(t.vaultId, t.createdAt)],
);

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

/** Digest windows that have alerts (one wake-up each for the vault workflow), and reports sent. */
export const digestWindows = pgTable(
  'digest_windows',
  {
    vaultId: text('vault_id').notNull(),
    windowStart: ts('window_start').notNull(),
    windowEnd: ts('window_end').notNull(),
    /** Set when the digest was planned; alerts joining later open a follow-up part. */
    closedAt: ts('closed_at'),
    parts: integer('parts').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.vaultId, t.windowStart] })],
);

/** Which alerts joined which digest window (§2.3); an alert released by a silence joins a later window. */
export const digestEntries = pgTable(
  'digest_entries',
  {
    vaultId: text('vault_id').notNull(),
    windowStart: ts('window_start').notNull(),
    alertId: uuid('alert_id').notNull(),
    addedAt: ts('added_at').notNull().defaultNow(),
    /** Set when the window's digest (or a follow-up part) was planned, whether the alert was in it or not. */
    handledAt: ts('handled_at'),
  },
  (t) => [primaryKey({ columns: [t.vaultId, t.windowStart, t.alertId] })],
);
