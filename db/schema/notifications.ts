// Notifications: a vault's email settings, its webhooks, the delivery log (§2.6), silences (§2.7)
// and digest windows (§2.3).
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { RecipientSetting, SilenceMatch } from '../../domain/model';
import { ts } from './shared';

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
