import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { saveSettings } from '../commands/settings';
import { actorName, type AppDeps, type AppEnv } from '../deps';
import { DEFAULT_SETTINGS, findSettings } from '../../readmodel/vaults';
import { NotificationSettings, NotificationSettingsBody, VaultParams } from '../schemas';
import { jsonBody, problems, requireVault } from './shared';

const path = '/v1/vaults/{vaultId}/notification-settings';

export function registerSettingsRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  app.openapi(
    createRoute({
      method: 'get', path, tags: ['Notifications'], summary: "The vault's notification settings",
      request: { params: VaultParams },
      responses: { 200: { description: 'Settings (defaults when never saved)', content: { 'application/json': { schema: NotificationSettings } } }, ...problems(404) },
    }),
    async (c) => {
      const { vaultId } = c.req.valid('param');
      await requireVault(deps, vaultId);
      return c.json((await findSettings(deps.db, vaultId))?.settings ?? DEFAULT_SETTINGS, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put', path, tags: ['Notifications'], summary: 'Replace the notification settings',
      request: { params: VaultParams, body: jsonBody(NotificationSettingsBody) },
      responses: { 200: { description: 'Saved settings', content: { 'application/json': { schema: NotificationSettings } } }, ...problems(400, 404) },
    }),
    async (c) => {
      const { vaultId } = c.req.valid('param');
      return c.json(await saveSettings(deps, vaultId, c.req.valid('json'), actorName(c.get('principal')), c.get('requestId')), 200);
    },
  );
}
