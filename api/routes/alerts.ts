import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { SEVERITIES } from '../../domain/types';
import { alertHistoryOf } from '../../readmodel/alert-history';
import { activeAlertSummary, findAlert, listAlerts } from '../../readmodel/alerts';
import { acknowledgeAlert, inactivateAlert, type AlertChange } from '../commands/alerts';
import { decodeCursor } from '../cursor';
import { actorName, type AppDeps, type AppEnv } from '../deps';
import * as example from '../examples';
import { notFound } from '../problem';
import { Alert, AlertCommentBody, AlertHistory, AlertListQuery, AlertPage, AlertParams, VaultParams } from '../schemas';
import { problems, requireVault, vaultPage } from './shared';

const Summary = z.object({ active: z.object(Object.fromEntries(SEVERITIES.map((s) => [s, z.number().int()])) as Record<(typeof SEVERITIES)[number], z.ZodNumber>) })
  .openapi({ example: example.alertSummary });
const Acknowledged = z.object({ id: z.string(), status: z.enum(['Acknowledged']) }).openapi({ example: { id: example.ALERT_ID, status: 'Acknowledged' } });
const Inactivated = z.object({ id: z.string(), status: z.literal('Inactive') }).openapi({ example: { id: example.ALERT_ID, status: 'Inactive' } });

// The body is optional (§4: none or {comment}). Clients that send an empty body with a JSON content
// type (many do) mean "none" too: drop the type so the optional-body path applies, not a JSON 400.
const emptyBodyIsNone: MiddlewareHandler<AppEnv> = async (c, next) => {
  if ((await c.req.text()).trim() === '') {
    const headers = new Headers(c.req.raw.headers);
    headers.delete('content-type');
    c.req.raw = new Request(c.req.raw.url, { method: c.req.raw.method, headers });
  }
  await next();
};
const optionalComment = { required: false, content: { 'application/json': { schema: AlertCommentBody } } };

function alertChange(c: Context<AppEnv>, body: { comment?: string }): AlertChange {
  return { by: actorName(c.get('principal')), comment: body.comment || null, requestId: c.get('requestId') };
}

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
      return c.json(await vaultPage(deps, vaultId, listAlerts(deps.db, vaultId, { ...query, cursor })) as z.infer<typeof AlertPage>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/vaults/{vaultId}/alerts/summary', tags: ['Alerts'], summary: 'Open alerts by severity',
      request: { params: VaultParams },
      responses: { 200: { description: 'Counts of open (Active or Acknowledged) alerts', content: { 'application/json': { schema: Summary } } }, ...problems(404) },
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
      method: 'get', path: '/v1/vaults/{vaultId}/alerts/{alertId}/history', tags: ['Alerts'], summary: "An alert's history, oldest first",
      request: { params: AlertParams },
      responses: { 200: { description: 'Raised, Occurred, Acknowledged, Inactivated, AutoResolved, Suppressed, Notified', content: { 'application/json': { schema: AlertHistory } } }, ...problems(400, 404) },
    }),
    async (c) => {
      const { vaultId, alertId } = c.req.valid('param');
      await requireVault(deps, vaultId);
      if (!(await findAlert(deps.db, vaultId, alertId))) throw notFound(`Alert ${alertId} in vault ${vaultId}`);
      return c.json({ items: await alertHistoryOf(deps.db, alertId) } as z.infer<typeof AlertHistory>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/v1/vaults/{vaultId}/alerts/{alertId}/acknowledge', tags: ['Alerts'], summary: 'Acknowledge an alert ("I am on it")',
      description: 'The alert stays open: it still consolidates repeats and appears in digests. Acknowledging it again changes nothing.',
      middleware: [emptyBodyIsNone] as const,
      request: { params: AlertParams, body: optionalComment },
      responses: { 202: { description: 'The alert reads Acknowledged', content: { 'application/json': { schema: Acknowledged } } }, ...problems(400, 404, 409) },
    }),
    async (c) => {
      const { vaultId, alertId } = c.req.valid('param');
      const change = alertChange(c, c.req.valid('json'));
      await requireVault(deps, vaultId);
      return c.json(await acknowledgeAlert(deps, vaultId, alertId, change) as z.infer<typeof Acknowledged>, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/v1/vaults/{vaultId}/alerts/{alertId}/inactivate', tags: ['Alerts'], summary: 'Inactivate an alert',
      description: 'From Active or Acknowledged, with resolution Manual. Inactivating an Inactive alert changes nothing.',
      middleware: [emptyBodyIsNone] as const,
      request: { params: AlertParams, body: optionalComment },
      responses: { 202: { description: 'The alert reads Inactive', content: { 'application/json': { schema: Inactivated } } }, ...problems(400, 404) },
    }),
    async (c) => {
      const { vaultId, alertId } = c.req.valid('param');
      const change = alertChange(c, c.req.valid('json'));
      await requireVault(deps, vaultId);
      return c.json(await inactivateAlert(deps, vaultId, alertId, change) as z.infer<typeof Inactivated>, 202);
    },
  );
}
