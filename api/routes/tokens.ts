// §4/§7 token management (unscoped Admins only, per api/auth/rules.ts) and whoami.
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { RESERVED_PRINCIPALS } from '../../domain/tokens';
import { issueToken, listTokens, revokeToken } from '../../readmodel/tokens';
import { CreatedToken, TokenBody, TokenList, TokenParams, Whoami } from '../auth/schemas';
import { actorName, principalOf, type AppDeps, type AppEnv } from '../deps';
import { notFound, ProblemError } from '../problem';
import { jsonBody, problems } from './shared';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function registerTokenRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  app.openapi(
    createRoute({
      method: 'get', path: '/v1/whoami', tags: ['Access'], summary: 'The principal of this token',
      responses: { 200: { description: 'Who is calling', content: { 'application/json': { schema: Whoami } } } },
    }),
    (c) => {
      const principal = principalOf(c);
      return c.json({ principal: principal.name, role: principal.role, vaults: principal.vaults }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/v1/tokens', tags: ['Access'], summary: 'Create a token (its secret is shown only here)',
      request: { body: jsonBody(TokenBody) },
      responses: { 201: { description: 'Token created', content: { 'application/json': { schema: CreatedToken } } }, ...problems(400) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const now = deps.now?.() ?? new Date();
      if (body.expiresAt && body.expiresAt.getTime() <= now.getTime()) throw new ProblemError(400, 'body.expiresAt: must be in the future.');
      // The audit log would not tell such a token from the bootstrap token or from automatic changes.
      if ((RESERVED_PRINCIPALS as readonly string[]).includes(body.name.toLowerCase())) {
        throw new ProblemError(400, `body.name: "${body.name}" is reserved (${RESERVED_PRINCIPALS.join(', ')}).`);
      }
      const vaults = body.vaults ? [...new Set(body.vaults)] : null;
      const created = await issueToken(deps.db, { name: body.name, role: body.role, vaults, expiresAt: body.expiresAt ?? null },
        { principal: actorName(c.get('principal')), requestId: c.get('requestId') });
      const { createdBy: _by, ...answer } = created;
      return c.json(answer, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/tokens', tags: ['Access'], summary: 'Live tokens, without secrets',
      responses: { 200: { description: 'Tokens not revoked, newest first', content: { 'application/json': { schema: TokenList } } } },
    }),
    async (c) => c.json({ items: await listTokens(deps.db) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'delete', path: '/v1/tokens/{tokenId}', tags: ['Access'], summary: 'Revoke a token (it answers 401 from the next request)',
      request: { params: TokenParams },
      responses: { 204: { description: 'Revoked' }, ...problems(404) },
    }),
    async (c) => {
      const { tokenId } = c.req.valid('param');
      const revoked = UUID.test(tokenId) && await revokeToken(deps.db, tokenId, { principal: actorName(c.get('principal')), requestId: c.get('requestId') });
      if (!revoked) throw notFound(`Token ${tokenId}`);
      return c.body(null, 204);
    },
  );
}
