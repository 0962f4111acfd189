// Schemas and examples of the maintenance-window routes (§2.7, §4); the OpenAPI test checks the examples.
import { z } from '@hono/zod-openapi';
import { SILENCE_STATUSES } from '../domain/silences';
import { SCENARIOS, SEVERITIES, WORKLOADS } from '../domain/types';
import { contractDuration, plainText, VaultParams } from './schemas';
import { inTimestampRange } from './timestamps';

export const SILENCE_ID = '5c1e8f2a-7b4d-4e9a-9f36-0a8d2c7e1b54';

export const silenceBody = {
  match: { entityName: 'sql-prod-01/SalesDb' },
  comment: 'Saturday patching of sql-prod-01',
  rrule: 'FREQ=WEEKLY;BYDAY=SA;BYHOUR=1;BYMINUTE=0;BYSECOND=0',
  duration: '2h',
};

export const silence = {
  id: SILENCE_ID,
  ...silenceBody,
  startsAt: '2025-03-10T16:00:00.000Z',
  endsAt: null,
  status: 'Pending',
  createdAt: '2025-03-10T16:00:00.000Z',
  createdBy: 'oncall-dba',
};

const timestamp = z.iso.datetime({ offset: true })
  .refine((text) => inTimestampRange(new Date(text)), { message: 'must be between 1970-01-01 and 9999-12-31 (UTC)' })
  .transform((text) => new Date(text));

export const SilenceMatchSchema = z.strictObject({
  entityName: plainText(256).optional(),
  workloadType: z.enum(WORKLOADS).optional(),
  scenario: z.enum(SCENARIOS).optional(),
  severity: z.enum(SEVERITIES).optional(),
}).openapi({ description: 'Every matcher given must match; {} covers the whole vault. Unknown matchers are refused, so a typo cannot silence everything.', example: silenceBody.match });

export const SilenceBody = z.object({
  match: SilenceMatchSchema,
  comment: plainText(1_000),
  startsAt: timestamp.optional().openapi({ description: 'Default now; the DTSTART of a recurrence (whole seconds)' }),
  endsAt: timestamp.optional().openapi({ description: 'Required for a one-off window; bounds a recurrence when given' }),
  rrule: z.string().max(500).optional().openapi({ description: 'RFC 5545 RRULE value, in UTC, e.g. FREQ=WEEKLY;BYDAY=SA;BYHOUR=1;BYMINUTE=0;BYSECOND=0' }),
  duration: contractDuration.optional().openapi({ description: 'Length of each occurrence of a recurrence' }),
}).openapi({ example: silenceBody });

export const Silence = z.object({
  id: z.string(),
  match: z.object({ entityName: z.string().optional(), workloadType: z.enum(WORKLOADS).optional(), scenario: z.enum(SCENARIOS).optional(), severity: z.enum(SEVERITIES).optional() }),
  comment: z.string(),
  startsAt: z.string(),
  endsAt: z.string().nullable(),
  rrule: z.string().nullable(),
  duration: z.string().nullable(),
  status: z.enum(SILENCE_STATUSES),
  createdAt: z.string(),
  createdBy: z.string(),
}).openapi('Silence', { example: silence });

export const SilenceParams = VaultParams.extend({ silenceId: z.uuid('silenceId must be a UUID').openapi({ example: SILENCE_ID }) });
export const SilenceListQuery = z.object({ status: z.enum(SILENCE_STATUSES).optional().openapi({ example: 'Active' }) });
