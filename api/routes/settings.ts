import { randomUUID } from 'node:crypto';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { vaultNotificationsStart } from '../../activities/vault-signals';
import { normalizeRecipients } from '../../domain/recipients';
import { updateSettingsSignal, VAULT_NOTIFICATIONS_WORKFLOW, type NotificationSettings as Settings } from '../../workflows/definitions';
import { waitUntil, type AppDeps, type AppEnv } from '../deps';
import { ProblemError } from '../problem';
import { DEFAULT_SETTINGS, findSettings } from '../read/vaults';
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
      const body = c.req.valid('json');
      const recipients = normalizeRecipients(body.recipients);
      if (!recipients.ok) {
        throw new ProblemError(400, `recipients: ${recipients.problems.join('; ')}`, { errors: recipients.problems });
      }
      await requireVault(deps, vaultId);
      const settings: Settings = { enabled: body.enabled, recipients: recipients.recipients, frequency: body.frequency };
      const requestId = randomUUID();
      // The vault's workflow owns settings (it sends the welcome emails); Postgres is its read model.
      await deps.temporal.workflow.signalWithStart(VAULT_NOTIFICATIONS_WORKFLOW, {
        ...vaultNotificationsStart({ taskQueue: deps.taskQueue, digestIntervalMs: deps.digestIntervalMs }, vaultId),
        signal: updateSettingsSignal,
        signalArgs: [{ settings, by: c.get('principal'), requestId }],
      });
      await waitUntil(async () => (await findSettings(deps.db, vaultId))?.requestId === requestId, deps.readYourWritesMs ?? 3_000);
      return c.json(settings, 200);
    },
  );
}
