// Schemas and examples of the access-control routes (tokens, whoami, audit, vault list). Kept
// beside the auth code rather than in api/schemas.ts so the routes of §7 live in one place.
import { z } from '@hono/zod-openapi';
import { AUDIT_ACTIONS, ROLES } from '../../domain/types';
import * as example from '../examples';
import { page, plainText, Vault, VaultParams } from '../schemas';

const TOKEN_ID = '5b1e7d3a-0c42-4f8e-9d6b-3a7c1e2f9b80';
const createdAt = '2025-03-10T09:00:00.000Z';
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export const tokenExample = {
  id: TOKEN_ID, name: 'backup-agent-prod', role: 'Service' as const, vaults: [example.VAULT_ID],
  expiresAt: '2025-06-08T09:00:00.000Z', createdAt,
};
const vaultId = VaultParams.shape.vaultId;

export const TokenBody = z.object({
  name: plainText(100).openapi({ description: 'Who uses the token; recorded as the principal of what it changes' }),
  role: z.enum(ROLES).openapi({ description: 'Reader < Service < Operator < Admin (§7)' }),
  vaults: z.array(vaultId).min(1).max(100).nullable().optional()
    .openapi({ description: 'Limit the token to these vaults; absent or null: every vault' }),
  expiresAt: z.iso.datetime({ offset: true }).transform((text) => new Date(text)).nullable().optional()
    .openapi({ description: 'ISO 8601, in the future; absent or null: the token does not expire' }),
}).openapi({ example: { name: tokenExample.name, role: tokenExample.role, vaults: tokenExample.vaults, expiresAt: tokenExample.expiresAt } });

const tokenFields = {
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  vaults: z.array(z.string()).nullable().openapi({ description: 'null: every vault' }),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
};

export const CreatedToken = z.object({
  ...tokenFields,
  token: z.string().openapi({ description: 'The secret, shown only in this answer: send it as Authorization: Bearer <token>' }),
}).openapi('CreatedToken', { example: { ...tokenExample, token: 'bm_q3Vh0yNf2bXw8kTz5cLr1mJd6sPa9eUg4oYi7nRt0Hc' } });

export const Token = z.object({ ...tokenFields, createdBy: z.string() })
  .openapi('Token', { example: { ...tokenExample, createdBy: 'admin' } });
export const TokenList = z.object({ items: z.array(Token) }).openapi({ example: { items: [{ ...tokenExample, createdBy: 'admin' }] } });

// Any text up to a bound: an id that is not a UUID is simply an unknown token (404), not a 400.
export const TokenParams = z.object({ tokenId: z.string().min(1).max(128).openapi({ example: TOKEN_ID }) });

export const Whoami = z.object({
  principal: z.string().openapi({ description: "The token's name (admin for the bootstrap token)" }),
  role: z.enum(ROLES),
  vaults: z.array(z.string()).nullable().openapi({ description: 'null: every vault' }),
}).openapi('Whoami', { example: { principal: tokenExample.name, role: tokenExample.role, vaults: tokenExample.vaults } });

const auditExample = {
  at: '2025-03-10T16:42:31.207Z', principal: 'alice', action: 'vault.updated' as const,
  target: `vault/${example.VAULT_ID}`, requestId: '1d5c2b7e-8f3a-4c90-b2e1-6a7d9f0c4e31',
};
export const AuditEntry = z.object({
  at: z.string(),
  principal: z.string().openapi({ description: 'The token name, admin (bootstrap token) or system (automatic changes)' }),
  action: z.enum(AUDIT_ACTIONS),
  target: z.string().openapi({ description: 'What changed, such as vault/<id>, alert/<id>, token/<id>' }),
  requestId: z.string().nullable(),
}).openapi('AuditEntry', { example: auditExample });
export const AuditPage = page(AuditEntry, { items: [auditExample], nextCursor: cursorOf(['a', '1042']) });

const limit = z.coerce.number().int().min(1).max(500).default(50).openapi({ example: 50 });
export const AuditQuery = z.object({
  limit,
  cursor: z.string().max(512).optional().openapi({ description: 'The nextCursor of the previous page', example: cursorOf(['a', '1042']) }),
});
export const VaultListQuery = z.object({
  limit,
  cursor: z.string().max(512).optional().openapi({ description: 'The nextCursor of the previous page', example: cursorOf(['v', example.VAULT_ID]) }),
});
export const VaultPage = page(Vault, { items: [example.vault], nextCursor: cursorOf(['v', example.VAULT_ID]) });

/** Keyset cursors of these lists: one key (audit row id or vault id), tagged so they cannot be swapped. */
export const encodeKeyCursor = (tag: 'a' | 'v', key: string) => cursorOf([tag, key]);
export function decodeKeyCursor(tag: 'a' | 'v', text: string | undefined): string | null | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value[0] === tag && typeof value[1] === 'string' && value[1] !== '') return value[1];
  } catch {
    // a cursor that is not ours
  }
  return null;
}
