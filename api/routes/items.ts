import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import { decodeItemCursor, findItem, listItems } from '../../readmodel/items';
import { changeItemPolicy } from '../commands/items';
import { actorName, type AppDeps, type AppEnv } from '../deps';
import { Item, ItemListQuery, ItemPage, ItemParams, ItemPolicyBody } from '../item-schemas';
import { notFound, ProblemError } from '../problem';
import { VaultParams } from '../schemas';
import { jsonBody, problems, requireVault, vaultPage } from './shared';

const itemNotFound = (p: { vaultId: string; workloadType: string; entityName: string }) =>
  notFound(`Item ${p.workloadType}/${p.entityName} in vault ${p.vaultId}`);

export function registerItemRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  app.openapi(
    createRoute({
      method: 'get', path: '/v1/vaults/{vaultId}/items', tags: ['Items'], summary: 'List protected items by workload type, then name',
      request: { params: VaultParams, query: ItemListQuery },
      responses: { 200: { description: 'A page of items', content: { 'application/json': { schema: ItemPage } } }, ...problems(400, 404) },
    }),
    async (c) => {
      const { vaultId } = c.req.valid('param');
      const query = c.req.valid('query');
      const cursor = query.cursor ? decodeItemCursor(query.cursor) : null;
      if (query.cursor && !cursor) throw new ProblemError(400, 'The cursor is not valid: pass back the nextCursor of a previous page unchanged.');
      return c.json(await vaultPage(deps, vaultId, listItems(deps.db, vaultId, { ...query, cursor })) as z.infer<typeof ItemPage>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/vaults/{vaultId}/items/{workloadType}/{entityName}', tags: ['Items'], summary: 'Get a protected item',
      request: { params: ItemParams },
      responses: { 200: { description: 'The item', content: { 'application/json': { schema: Item } } }, ...problems(400, 404) },
    }),
    async (c) => {
      const params = c.req.valid('param');
      await requireVault(deps, params.vaultId);
      const item = await findItem(deps.db, params);
      if (!item) throw itemNotFound(params);
      return c.json(item as z.infer<typeof Item>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put', path: '/v1/vaults/{vaultId}/items/{workloadType}/{entityName}/policy', tags: ['Items'],
      summary: "Set the item's own backup policy, or turn its missed-backup watch off",
      request: { params: ItemParams, body: jsonBody(ItemPolicyBody) },
      responses: { 200: { description: 'The item with its policy', content: { 'application/json': { schema: Item } } }, ...problems(400, 404) },
    }),
    async (c) => {
      const params = c.req.valid('param');
      await requireVault(deps, params.vaultId);
      const body = c.req.valid('json');
      const policy = 'disabled' in body ? { disabled: true as const } : { expectedEvery: body.expectedEvery, grace: body.grace };
      const audit = { principal: actorName(c.get('principal')), requestId: c.get('requestId') };
      return c.json(await changeItemPolicy(deps, params, policy, audit) as z.infer<typeof Item>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete', path: '/v1/vaults/{vaultId}/items/{workloadType}/{entityName}/policy', tags: ['Items'],
      summary: "Remove the item's own policy: the vault default applies again",
      request: { params: ItemParams },
      responses: { 200: { description: 'The item with the vault default', content: { 'application/json': { schema: Item } } }, ...problems(400, 404) },
    }),
    async (c) => {
      const params = c.req.valid('param');
      await requireVault(deps, params.vaultId);
      const audit = { principal: actorName(c.get('principal')), requestId: c.get('requestId') };
      return c.json(await changeItemPolicy(deps, params, null, audit) as z.infer<typeof Item>, 200);
    },
  );
}
