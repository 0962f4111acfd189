import { z } from '@hono/zod-openapi';
import {
  ALERT_STATUSES, COMPLETION_STATUSES, FREQUENCIES, JOB_STATUSES, OPERATIONS, SCENARIOS, SEVERITIES,
  TRIGGERS, WORKLOADS,
} from '../domain/types';

// Ids end up in workflow ids and URLs: keep them URL-safe and free of the '/' separator.
const urlSafeId = (what: string) =>
  z.string().regex(/^[A-Za-z0-9._~-]{1,128}$/, `${what} must be 1-128 URL-safe characters (letters, digits, . _ ~ -)`);

/** Free text that may reach email subjects: no control characters (CR/LF would inject headers). */
export const plainText = (max: number) =>
  z.string().trim().min(1).max(max).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

const isoTimestamp = z.iso.datetime({ offset: true }).transform((text) => new Date(text));
const email = z.string().trim().max(254).pipe(z.email());

export const VaultParams = z.object({ vaultId: urlSafeId('vaultId') });
export const JobParams = VaultParams.extend({ jobId: urlSafeId('jobId') });
export const AlertParams = VaultParams.extend({ alertId: z.uuid('alertId must be a UUID') });

export const VaultBody = z.object({
  name: plainText(200).optional(),
  subscriptionId: plainText(128).optional(),
  // Subscription contacts receive destructive-operation notices; a vault may start without any.
  contacts: z.object({
    owners: z.array(email).max(100).default([]),
    admins: z.array(email).max(100).default([]),
    coAdmins: z.array(email).max(100).default([]),
  }).default({ owners: [], admins: [], coAdmins: [] }),
});

export const Vault = z.object({
  id: z.string(),
  name: z.string().nullable(),
  subscriptionId: z.string().nullable(),
  contacts: z.object({ owners: z.array(z.string()), admins: z.array(z.string()), coAdmins: z.array(z.string()) }),
  createdAt: z.string(),
  updatedAt: z.string(),
}).openapi('Vault');

export const StartJobBody = z.object({
  jobId: urlSafeId('jobId').optional(),
  workloadType: z.enum(WORKLOADS),
  operation: z.enum(OPERATIONS),
  trigger: z.enum(TRIGGERS),
  entityName: plainText(256),
  startedAt: isoTimestamp.optional(),
});

export const CompleteJobBody = z.object({
  status: z.enum(COMPLETION_STATUSES),
  errorCode: z.string().trim().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'errorCode must be an identifier').optional(),
  errorMessage: z.string().max(4_000).optional(),
  warnings: z.array(z.string().max(1_000)).max(100).optional(),
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
  durationMs: z.number().int().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  warnings: z.array(z.string()),
}).openapi('Job');

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
  occurrences: z.number().int(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  raisedAt: z.string(),
  lastOccurredAt: z.string(),
  inactivatedAt: z.string().nullable(),
  inactivatedBy: z.string().nullable(),
}).openapi('Alert');

const limit = z.coerce.number().int().min(1).max(500).default(50);
const range = { from: isoTimestamp.optional(), to: isoTimestamp.optional(), limit, cursor: z.string().max(512).optional() };

export const JobListQuery = z.object({
  status: z.enum(JOB_STATUSES).optional(),
  operation: z.enum(OPERATIONS).optional(),
  workloadType: z.enum(WORKLOADS).optional(),
  ...range,
});

export const AlertListQuery = z.object({
  status: z.enum(ALERT_STATUSES).optional(),
  severity: z.enum(SEVERITIES).optional(),
  scenario: z.enum(SCENARIOS).optional(),
  ...range,
});

export const NotificationSettingsBody = z.object({
  enabled: z.boolean(),
  recipients: z.array(z.string().max(254)).max(100),
  frequency: z.enum(FREQUENCIES),
});

export const NotificationSettings = z.object({
  enabled: z.boolean(),
  recipients: z.array(z.string()),
  frequency: z.enum(FREQUENCIES),
}).openapi('NotificationSettings');

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
}).openapi('Problem');

export const page = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
