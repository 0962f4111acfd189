// Alerts (§2.4): the alerts themselves, the jobs that raised or joined them, their history, and the
// latest job that resolved each scenario on an item.
import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { OPEN_STATUS_SQL, ts } from './shared';

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
