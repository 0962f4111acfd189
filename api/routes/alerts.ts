import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { SEVERITIES } from '../../domain/types';
import { inactivateAlert } from '../commands/alerts';
import { decodeCursor } from '../cursor';
import { actorName, type AppDeps, type AppEnv } from '../deps';
import { notFound } from '../problem';
import { activeAlertSummary, findAlert, listAlerts } from '../../readmodel/alerts';
import * as example from '../examples';
import { Alert, AlertListQuery, AlertPage, AlertParams, VaultParams } from '../schemas';
import { problems, requireVault } from './shared';

const Summary = z.object({ active: z.object(Object.fromEntries(SEVERITIES.map((s) => [s, z.number().int()])) as Record<(typeof SEVERITIES)[number], z.ZodNumber>) })
  .openapi({ example: example.alertSummary });
const Inactivated = z.object({ id: z.string(), status: z.literal('Inactive') }).openapi({ example: { id: example.ALERT_ID, status: 'Inactive' } });

export function registerAlertRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  app.openapi(
    createRoute({
      method: 'get', path: '/v1/vaults/{vaultId}/alerts', tags: ['Alerts'], summary: 'List alerts, newest first',
      request: { params: VaultParams, query: AlertListQuery },
      responses: { 200: { description: 'A page of alerts', content: { 'application/json': { schema: AlertPage } } }, ...problems(400, 404) },
    }),
    async (c) => {
      const { vaultId } = c.req.valid('param');
      const query = c.req.valid('query');
      const cursor = decodeCursor(query.cursor, 'uuid');
      await requireVault(deps, vaultId);
      return c.json(await listAlerts(deps.db, vaultId, { ...query, cursor }) as z.infer<typeof AlertPage>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/vaults/{vaultId}/alerts/summary', tags: ['Alerts'], summary: 'Active alerts by severity',
      request: { params: VaultParams },
      responses: { 200: { description: 'Counts of Active alerts', content: { 'application/json': { schema: Summary } } }, ...problems(404) },
    }),
    async (c) => {
      const { vaultId } = c.req.valid('param');
      await requireVault(deps, vaultId);
      return c.json({ active: await activeAlertSummary(deps.db, vaultId) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/vaults/{vaultId}/alerts/{alertId}', tags: ['Alerts'], summary: 'Get an alert',
      request: { params: AlertParams },
      responses: { 200: { description: 'The alert', content: { 'application/json': { schema: Alert } } }, ...problems(400, 404) },
    }),
    async (c) => {
      const { vaultId, alertId } = c.req.valid('param');
      await requireVault(deps, vaultId);
      const alert = await findAlert(deps.db, vaultId, alertId);
      if (!alert) throw notFound(`Alert ${alertId} in vault ${vaultId}`);
      return c.json(alert as z.infer<typeof Alert>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/v1/vaults/{vaultId}/alerts/{alertId}/inactivate', tags: ['Alerts'], summary: 'Inactivate an alert',
      request: { params: AlertParams },
      responses: { 202: { description: 'Accepted; the alert reads Inactive', content: { 'application/json': { schema: Inactivated } } }, ...problems(400, 404) },
    }),
    async (c) => {
      const { vaultId, alertId } = c.req.valid('param');
      await requireVault(deps, vaultId);
      return c.json(await inactivateAlert(deps, vaultId, alertId, actorName(c.get('principal'))), 202);
    },
  );
}
