// §4 audit log reads: per vault (Admins of that vault) and global (unscoped Admins).
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { listAudit } from '../../readmodel/audit';
import { AuditPage, AuditQuery, decodeKeyCursor, encodeKeyCursor } from '../auth/schemas';
import type { AppDeps, AppEnv } from '../deps';
import { ProblemError } from '../problem';
import { VaultParams } from '../schemas';
import { problems, requireVault } from './shared';

function beforeId(cursor: string | undefined): number | undefined {
  const key = decodeKeyCursor('a', cursor);
  if (key === undefined) return undefined;
  const id = key === null ? NaN : Number(key);
  if (!Number.isSafeInteger(id) || id < 1) throw new ProblemError(400, 'The cursor is not valid: pass back the nextCursor of a previous page unchanged.');
  return id;
}

async function auditPage(deps: AppDeps, query: { limit: number; cursor?: string }, vaultId?: string) {
  const { items, more } = await listAudit(deps.db, { vaultId, beforeId: beforeId(query.cursor), limit: query.limit });
  const last = items.at(-1);
  return {
    items: items.map(({ id: _id, ...entry }) => entry),
    nextCursor: more && last ? encodeKeyCursor('a', String(last.id)) : null,
  };
}

export function registerAuditRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  app.openapi(
    createRoute({
      method: 'get', path: '/v1/vaults/{vaultId}/audit', tags: ['Access'], summary: "A vault's audit log, newest first",
      request: { params: VaultParams, query: AuditQuery },
      responses: { 200: { description: 'Audit rows', content: { 'application/json': { schema: AuditPage } } }, ...problems(400, 404) },
    }),
    async (c) => {
      const { vaultId } = c.req.valid('param');
      await requireVault(deps, vaultId);
      return c.json(await auditPage(deps, c.req.valid('query'), vaultId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/audit', tags: ['Access'], summary: 'Every audit row, token changes included, newest first',
      request: { query: AuditQuery },
      responses: { 200: { description: 'Audit rows', content: { 'application/json': { schema: AuditPage } } }, ...problems(400) },
    }),
    async (c) => c.json(await auditPage(deps, c.req.valid('query')), 200),
  );
}
