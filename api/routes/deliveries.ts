import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { DeliveryListQuery, DeliveryPage } from '../channel-schemas';
import { decodeCursor } from '../cursor';
import type { AppDeps, AppEnv } from '../deps';
import { VaultParams } from '../schemas';
import { listDeliveries } from '../../readmodel/deliveries';
import { problems, vaultPage } from './shared';

export function registerDeliveryRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  app.openapi(
    createRoute({
      method: 'get', path: '/v1/vaults/{vaultId}/deliveries', tags: ['Webhooks'], summary: 'The delivery log, newest first',
      request: { params: VaultParams, query: DeliveryListQuery },
      responses: { 200: { description: 'A page of deliveries', content: { 'application/json': { schema: DeliveryPage } } }, ...problems(400, 404) },
    }),
    async (c) => {
      const { vaultId } = c.req.valid('param');
      const query = c.req.valid('query');
      const cursor = decodeCursor(query.cursor, 'uuid');
      return c.json(await vaultPage(deps, vaultId, listDeliveries(deps.db, vaultId, { ...query, cursor })), 200);
    },
  );
}
