import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import { CreatedWebhook, TestAccepted, Webhook, WebhookBody, WebhookList, WebhookParams } from '../channel-schemas';
import { createWebhook, deleteWebhook, testWebhook } from '../commands/webhooks';
import { actorName, type AppDeps, type AppEnv } from '../deps';
import { notFound } from '../problem';
import { VaultParams } from '../schemas';
import { findWebhook, listWebhooks } from '../../readmodel/deliveries';
import { jsonBody, problems, requireVault } from './shared';

const base = '/v1/vaults/{vaultId}/webhooks';
const json = <S extends z.ZodTypeAny>(schema: S, description: string) => ({ description, content: { 'application/json': { schema } } });

export function registerWebhookRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  app.openapi(
    createRoute({
      method: 'post', path: base, tags: ['Webhooks'], summary: 'Add a webhook (its secret is shown only in this answer)',
      request: { params: VaultParams, body: jsonBody(WebhookBody) },
      responses: { 201: json(CreatedWebhook, 'The webhook with its signing secret'), ...problems(400, 404) },
    }),
    async (c) => {
      const { vaultId } = c.req.valid('param');
      await requireVault(deps, vaultId);
      const created = await createWebhook(deps, vaultId, c.req.valid('json'), actorName(c.get('principal')), c.get('requestId'));
      return c.json(created, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: base, tags: ['Webhooks'], summary: "The vault's webhooks (without secrets)",
      request: { params: VaultParams },
      responses: { 200: json(WebhookList, 'Webhooks, oldest first'), ...problems(400, 404) },
    }),
    async (c) => {
      const { vaultId } = c.req.valid('param');
      await requireVault(deps, vaultId);
      return c.json({ items: await listWebhooks(deps.db, vaultId) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: `${base}/{webhookId}`, tags: ['Webhooks'], summary: 'Get a webhook (without its secret)',
      request: { params: WebhookParams },
      responses: { 200: json(Webhook, 'The webhook'), ...problems(400, 404) },
    }),
    async (c) => {
      const { vaultId, webhookId } = c.req.valid('param');
      await requireVault(deps, vaultId);
      const hook = await findWebhook(deps.db, vaultId, webhookId);
      if (!hook) throw notFound(`Webhook ${webhookId} in vault ${vaultId}`);
      return c.json(hook, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete', path: `${base}/{webhookId}`, tags: ['Webhooks'], summary: 'Delete a webhook',
      request: { params: WebhookParams },
      responses: { 204: { description: 'Deleted' }, ...problems(400, 404) },
    }),
    async (c) => {
      const { vaultId, webhookId } = c.req.valid('param');
      await requireVault(deps, vaultId);
      await deleteWebhook(deps, vaultId, webhookId, actorName(c.get('principal')), c.get('requestId'));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: `${base}/{webhookId}/test`, tags: ['Webhooks'], summary: 'Send a signed test event',
      request: { params: WebhookParams },
      responses: { 202: json(TestAccepted, 'The test delivery, to follow in the delivery log'), ...problems(400, 404) },
    }),
    async (c) => {
      const { vaultId, webhookId } = c.req.valid('param');
      await requireVault(deps, vaultId);
      return c.json(await testWebhook(deps, vaultId, webhookId), 202);
    },
  );
}
