// Schemas of the protected-item routes (§2.5, §4), with the examples the OpenAPI test checks.
import { z } from '@hono/zod-openapi';
import { ITEM_HEALTHS, PROTECTION_STATES, SEVERITIES, WORKLOADS } from '../domain/types';
import { VAULT_ID } from './examples';
import { BackupPolicySchema, VaultParams } from './schemas';

const ENTITY = 'SQLDataBase;mssqlserver;SalesDb';

export const itemExample = {
  vaultId: VAULT_ID,
  workloadType: 'AzureWorkload',
  entityName: ENTITY,
  protection: 'Protected',
  health: 'Critical',
  lastJobAt: '2025-03-11T02:00:00.000Z',
  lastBackup: { jobId: 'b7d2e1f4-8c3a-4e59-a0d6-51c9f2e87b13', status: 'Failed', endedAt: '2025-03-11T02:03:12.480Z' },
  lastSuccessfulBackupAt: '2025-03-09T02:04:51.112Z',
  policy: { expectedEvery: '24h', grace: '2h', source: 'vault' },
  openAlerts: { Critical: 1, Warning: 0, Informational: 0 },
} as const;

// Unknown workload types are not a 400: no such item exists, so the answer is the item's 404.
// NUL cannot be in Postgres text, so no item has it: refused before any query (a 404, see app.ts).
export const ItemParams = VaultParams.extend({
  workloadType: z.string().min(1).max(32).regex(/^[^\x00]*$/).openapi({ example: 'AzureWorkload' }),
  entityName: z.string().min(1).max(256).regex(/^[^\x00]*$/).openapi({ description: 'URL-encoded, e.g. SQLDataBase%3Bmssqlserver%3Bdb1', example: ENTITY }),
});

export const ItemListQuery = z.object({
  health: z.enum(ITEM_HEALTHS).optional().openapi({ example: 'Critical' }),
  workloadType: z.enum(WORKLOADS).optional().openapi({ example: 'AzureWorkload' }),
  protection: z.enum(PROTECTION_STATES).optional().openapi({ example: 'Protected' }),
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ example: 50 }),
  cursor: z.string().max(1200).optional().openapi({ description: 'The nextCursor of the previous page', example: 'WyJpIiwiQXp1cmVWTSIsInZtLTAxIl0' }),
});

const ItemPolicyView = z.object({ expectedEvery: z.string(), grace: z.string(), source: z.enum(['vault', 'item']) });

export const Item = z.object({
  vaultId: z.string(),
  workloadType: z.string(),
  entityName: z.string(),
  protection: z.enum(PROTECTION_STATES),
  health: z.enum(ITEM_HEALTHS),
  lastJobAt: z.string().nullable(),
  lastBackup: z.object({ jobId: z.string(), status: z.string(), endedAt: z.string().nullable() }).nullable(),
  lastSuccessfulBackupAt: z.string().nullable(),
  policy: ItemPolicyView.nullable().openapi({ description: 'The policy in force and where it comes from; null: not watched (none, or opted out)' }),
  openAlerts: z.object(Object.fromEntries(SEVERITIES.map((s) => [s, z.number().int()])) as Record<(typeof SEVERITIES)[number], z.ZodNumber>),
}).openapi('Item', { example: itemExample });

export const ItemPage = z.object({
  items: z.array(Item),
  nextCursor: z.string().nullable().openapi({ description: 'Pass it as cursor for the next page; null on the last page' }),
}).openapi({ example: { items: [itemExample], nextCursor: null } });

export const ItemPolicyBody = z.union([
  BackupPolicySchema.strict(),
  z.object({ disabled: z.literal(true) }).strict(),
]).openapi({ description: '{expectedEvery, grace} (1s to 90d each), or {disabled: true} to turn the watch off for this item', example: { expectedEvery: '4h', grace: '30m' } });
