import { z } from '@hono/zod-openapi';
import {
  ALERT_HISTORY_ACTIONS, ALERT_STATUSES, CHANNELS, COMPLETION_STATUSES, RESOLUTIONS, FREQUENCIES, ITEM_HEALTHS, JOB_STATUSES, OPERATIONS, SCENARIOS, SEVERITIES,
  TRIGGERS, WORKLOADS,
} from '../domain/types';
import { parseContractDuration } from '../domain/duration';
import { ALERT_STATUS_FILTERS } from '../readmodel/alerts';
import * as example from './examples';
import { inTimestampRange } from './timestamps';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const wellFormed = (text: string) => !LONE_SURROGATE.test(text);

// Ids end up in workflow ids and URLs: keep them URL-safe and free of the '/' separator.
const urlSafeId = (what: string) =>
  z.string().regex(/^[A-Za-z0-9._~-]{1,128}$/, `${what} must be 1-128 URL-safe characters (letters, digits, . _ ~ -)`);

/**
 * Free text that may reach email subjects: no control characters (CR/LF would inject headers).
 * The class spells out \p{Cc} because a /u regex does not survive into the OpenAPI pattern.
 */
export const plainText = (max: number) =>
  z.string().trim().min(1).max(max).regex(/^[^\x00-\x1F\x7F-\x9F]*$/, 'must not contain control characters')
    .refine(wellFormed, 'must be well-formed Unicode (no lone surrogates)');

// Bounded (api/timestamps.ts): a year-0000 or year-275760 instant would be refused by Postgres later.
const isoTimestamp = z.iso.datetime({ offset: true })
  .refine((text) => inTimestampRange(new Date(text)), { message: 'must be between 1970-01-01 and 9999-12-31 (UTC)' })
  .transform((text) => new Date(text));
/**
 * Text Postgres can store: no NUL (text and jsonb refuse it) and no lone surrogate (JSON escapes it
 * as \ud800, which jsonb refuses): either would make a write, and so a workflow, retry for ever.
 */
const storableText = (max: number) => z.string().max(max).regex(/^[^\x00]*$/, 'must not contain NUL characters')
  .refine(wellFormed, 'must be well-formed Unicode (no lone surrogates)');
const email = z.string().trim().max(254).pipe(z.email());

/** A §4 duration string (`ms`, `s`, `m`, `h`, `d`) between 1 s and 90 days. */
export const contractDuration = z.string().max(32).refine((text) => parseContractDuration(text) !== null, {
  message: 'must be a duration such as 90s, 30m, 24h or 7d, between 1s and 90d',
}).openapi({ example: '24h' });

export const BackupPolicySchema = z.object({ expectedEvery: contractDuration, grace: contractDuration })
  .openapi({ example: { expectedEvery: '24h', grace: '2h' } });

export const VaultParams = z.object({
  vaultId: urlSafeId('vaultId').openapi({ description: 'Vault id, chosen by the admin', example: example.VAULT_ID }),
});
export const JobParams = VaultParams.extend({
  jobId: urlSafeId('jobId').openapi({ description: "The service's own job id, or the UUID the API generated", example: example.LATEST_JOB_ID }),
});
export const AlertParams = VaultParams.extend({ alertId: z.uuid('alertId must be a UUID').openapi({ example: example.ALERT_ID }) });

// A field left out keeps its stored value (on creation: null, empty lists, the defaults); a field
// given replaces it, and null clears the name or the subscription id.
export const VaultBody = z.object({
  name: plainText(200).nullable().optional(),
  subscriptionId: plainText(128).nullable().optional(),
  // Subscription contacts receive destructive-operation notices; a vault may start without any.
  contacts: z.object({
    owners: z.array(email).max(100).default([]),
    admins: z.array(email).max(100).default([]),
    coAdmins: z.array(email).max(100).default([]),
  }).optional()
    .openapi({ description: "The subscription's owners, admins and co-admins: they receive destructive-operation notices. Left out: kept (none on creation)" }),
  autoResolve: z.boolean().optional().openapi({ description: 'Resolve alerts when their condition clears (default true)' }),
  backupPolicy: BackupPolicySchema.nullable().optional()
    .openapi({ description: 'Default missed-backup watch for every protected item; null: none' }),
}).openapi({ example: example.vaultBody });

export const Vault = z.object({
  id: z.string(),
  name: z.string().nullable(),
  subscriptionId: z.string().nullable(),
  contacts: z.object({ owners: z.array(z.string()), admins: z.array(z.string()), coAdmins: z.array(z.string()) }),
  autoResolve: z.boolean(),
  backupPolicy: z.object({ expectedEvery: z.string(), grace: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
}).openapi('Vault', { example: example.vault });

export const StartJobBody = z.object({
  jobId: urlSafeId('jobId').optional()
    .openapi({ description: 'Your own id for the job; starting it again answers the same job. Generated (UUID) when absent.' }),
  workloadType: z.enum(WORKLOADS).openapi({ description: 'DPM and MABS jobs are not monitored: starting one answers 422' }),
  operation: z.enum(OPERATIONS),
  trigger: z.enum(TRIGGERS).openapi({ description: 'Scheduled AzureWorkload jobs raise (consolidated) alerts but are never listed' }),
  entityName: plainText(256).openapi({ description: 'The protected item: VM, file share, database or server' }),
  startedAt: isoTimestamp.optional()
    .openapi({ description: 'ISO 8601; defaults to now. The job timeout counts from here. At most 30 days in the past and 5 minutes in the future.' }),
}).openapi({ example: example.startJobBody });

export const CompleteJobBody = z.object({
  status: z.enum(COMPLETION_STATUSES),
  errorCode: z.string().trim().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'errorCode must be an identifier').optional(),
  errorMessage: storableText(4_000).optional(),
  warnings: z.array(storableText(1_000)).max(100).optional(),
}).openapi({
  description: 'errorCode UserErrorBackupOperationInProgress, SystemBackupOperationInProgress (and UserErrorVmNotFoundV2 for AzureVM backups) raise no alert',
  example: example.completeJobBody,
});

export const Job = z.object({
  id: z.string(),
  vaultId: z.string(),
  workloadType: z.enum(WORKLOADS),
  operation: z.enum(OPERATIONS),
  trigger: z.enum(TRIGGERS),
  entityName: z.string(),
  status: z.enum(JOB_STATUSES),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  durationMs: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable()
    .openapi({ description: 'Milliseconds from startedAt to endedAt (bigint in Postgres; a job is at most 30 days old plus its timeout)' }),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  warnings: z.array(z.string()),
}).openapi('Job', { example: example.job });

export const Alert = z.object({
  id: z.string(),
  vaultId: z.string(),
  scenario: z.enum(SCENARIOS),
  severity: z.enum(SEVERITIES),
  status: z.enum(ALERT_STATUSES),
  workloadType: z.enum(WORKLOADS),
  entityName: z.string(),
  jobId: z.string(),
  latestJobId: z.string(),
  occurrences: z.number().int().openapi({ description: 'Consolidated occurrences (scheduled AzureWorkload jobs with the same root cause)' }),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  raisedAt: z.string(),
  lastOccurredAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  inactivatedAt: z.string().nullable(),
  inactivatedBy: z.string().nullable().openapi({ description: "The principal's name, or system for an auto-resolution" }),
  resolution: z.enum(RESOLUTIONS).nullable().openapi({ description: 'Manual or AutoResolved once Inactive' }),
  resolvedByJobId: z.string().nullable().openapi({ description: 'The job whose outcome auto-resolved the alert' }),
  suppressed: z.boolean().openapi({ description: 'Raised under a maintenance window and not notified (yet): the window releases it at its end if still open' }),
}).openapi('Alert', { example: example.alert });

/** Acknowledge and inactivate take no body or this one (§4). */
export const AlertCommentBody = z.object({
  comment: z.string().trim().max(1_000).regex(/^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F]*$/, 'must not contain control characters')
    .refine(wellFormed, 'must be well-formed Unicode (no lone surrogates)').optional(),
}).openapi({ example: { comment: 'Looking into the log chain with the DBA team' } });

export const AlertHistoryEntry = z.object({
  at: z.string(),
  action: z.enum(ALERT_HISTORY_ACTIONS),
  by: z.string(),
  jobId: z.string().optional(),
  channel: z.enum(CHANNELS).optional(),
  target: z.string().optional(),
  deliveryId: z.string().optional(),
  silenceId: z.string().optional(),
  comment: z.string().optional(),
}).openapi('AlertHistoryEntry', { example: example.alertHistory.items[2] });
export const AlertHistory = z.object({ items: z.array(AlertHistoryEntry) }).openapi({ example: example.alertHistory });

const limit = z.coerce.number().int().min(1).max(500).default(50).openapi({ example: 50 });
const range = {
  from: isoTimestamp.optional().openapi({ description: 'Inclusive lower bound (ISO 8601)', example: '2025-03-10T00:00:00Z' }),
  to: isoTimestamp.optional().openapi({ description: 'Exclusive upper bound (ISO 8601)', example: '2025-03-12T00:00:00Z' }),
  limit,
  cursor: z.string().max(512).optional().openapi({ description: 'The nextCursor of the previous page', example: example.pageOf(example.job, example.job.startedAt).nextCursor }),
};

/** The protected item's name, matched exactly (as stored, case-sensitive). */
const entityNameFilter = storableText(256).optional().openapi({ description: 'Exact entityName of the protected item', example: 'vm-prod-01' });

export const JobListQuery = z.object({
  status: z.enum(JOB_STATUSES).optional().openapi({ example: 'Failed' }),
  operation: z.enum(OPERATIONS).optional().openapi({ example: 'Backup' }),
  workloadType: z.enum(WORKLOADS).optional().openapi({ example: 'AzureWorkload' }),
  entityName: entityNameFilter,
  ...range,
});

export const AlertListQuery = z.object({
  status: z.enum(ALERT_STATUS_FILTERS).optional()
    .openapi({ description: 'Active, Acknowledged, Inactive, or Open (Active and Acknowledged)', example: 'Open' }),
  severity: z.enum(SEVERITIES).optional().openapi({ example: 'Critical' }),
  scenario: z.enum(SCENARIOS).optional().openapi({ example: 'BackupFailure' }),
  entityName: entityNameFilter,
  ...range,
});

const recipientSetting = z.union([
  z.string().max(254),
  z.object({ address: z.string().max(254), minSeverity: z.enum(SEVERITIES) }),
]).openapi({ description: 'An address, or an address with its own severity floor (it replaces the settings\' floor)' });

export const NotificationSettingsBody = z.object({
  enabled: z.boolean(),
  recipients: z.array(recipientSetting).max(100)
    .openapi({ description: 'Addresses or distribution lists, de-duplicated case-insensitively; each new one gets a welcome email' }),
  frequency: z.enum(FREQUENCIES).openapi({ description: 'PerAlert emails each new alert at once; HourlyDigest sends one email per clock-aligned window' }),
  minSeverity: z.enum(SEVERITIES).default('Informational').openapi({ description: 'Only alerts at or above this severity are emailed' }),
  notifyOnResolved: z.boolean().default(false).openapi({ description: 'A short email when an alert that was emailed to a recipient is resolved' }),
  weeklyReport: z.boolean().default(false).openapi({ description: 'Email the vault report to the recipients once per REPORT_INTERVAL' }),
}).openapi({ example: example.notificationSettings });

export const NotificationSettings = z.object({
  enabled: z.boolean(),
  recipients: z.array(recipientSetting),
  frequency: z.enum(FREQUENCIES),
  minSeverity: z.enum(SEVERITIES),
  notifyOnResolved: z.boolean(),
  weeklyReport: z.boolean(),
}).openapi('NotificationSettings', { example: example.notificationSettings });

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
}).openapi('Problem', { description: 'RFC 9457 problem details; status equals the HTTP status', example: example.problem });

export const page = <T extends z.ZodTypeAny>(item: T, pageExample?: unknown) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().openapi({ description: 'Pass it as cursor for the next page; null on the last page' }),
  }).openapi(pageExample === undefined ? {} : { example: pageExample });

export const JobPage = page(Job, example.pageOf(example.job, example.job.startedAt));
export const AlertPage = page(Alert, example.pageOf(example.alert, example.alert.raisedAt));

export const ReportQuery = z.object({
  from: isoTimestamp.optional().openapi({ description: 'Inclusive start (ISO 8601); default: 7 days before `to`', example: '2025-03-03T00:00:00Z' }),
  to: isoTimestamp.optional().openapi({ description: 'Exclusive end (ISO 8601); default: now. At most 90 days after `from`', example: '2025-03-10T00:00:00Z' }),
});

const count = z.number().int();
const itemRef = { workloadType: z.enum(WORKLOADS), entityName: z.string() };
export const Report = z.object({
  vaultId: z.string(),
  from: z.string(),
  to: z.string(),
  jobsByDay: z.array(z.object({ day: z.string().openapi({ description: 'UTC day of startedAt, YYYY-MM-DD' }), Completed: count, CompletedWithWarnings: count, Failed: count, Cancelled: count }))
    .openapi({ description: 'Finished jobs of every operation (scheduled AzureWorkload jobs included), one entry per UTC day the period touches, zeros included' }),
  successRate: z.number().min(0).max(1).nullable().openapi({ description: 'Backup jobs Completed or CompletedWithWarnings / Backup jobs finished, Cancelled excluded; null when none' }),
  itemsByHealth: z.object(Object.fromEntries(ITEM_HEALTHS.map((h) => [h, count])) as Record<(typeof ITEM_HEALTHS)[number], typeof count>),
  missedItems: z.array(z.object({ ...itemRef, misses: count })).openapi({ description: 'BackupMissed alerts raised in the period, by item, most first' }),
  alertsBySeverity: z.object(Object.fromEntries(SEVERITIES.map((s) => [s, count])) as Record<(typeof SEVERITIES)[number], typeof count>),
  alertsByScenario: z.record(z.string(), count).openapi({ description: 'Alerts raised in the period by scenario (scenarios with none are left out)' }),
  meanTimeToResolveMs: z.number().int().nullable().openapi({ description: 'Mean raise-to-inactivation (manual or automatic) of the alerts raised in the period that are Inactive; null when none' }),
  topFailingItems: z.array(z.object({ ...itemRef, failures: count })).max(10).openapi({ description: 'Items by Failed Backup jobs in the period, at least one, at most 10, most first' }),
}).openapi('Report', { example: example.report });
