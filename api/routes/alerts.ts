import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { SEVERITIES } from '../../domain/types';
import { alertHistoryOf } from '../../readmodel/alert-history';
import { activeAlertSummary, findAlert, listAlerts } from '../../readmodel/alerts';
import { acknowledgeAlert, inactivateAlert, type AlertChange } from '../commands/alerts';
import { decodeCursor } from '../cursor';
import { actorName, type AppDeps, type AppEnv } from '../deps';
import * as example from '../examples';
import { notFound, ProblemError } from '../problem';
import { Alert, AlertCommentBody, AlertHistory, AlertListQuery, AlertPage, AlertParams, VaultParams } from '../schemas';
import { validationProblem } from '../validation';
import { problems, requireVault } from './shared';

const Summary = z.object({ active: z.object(Object.fromEntries(SEVERITIES.map((s) => [s, z.number().int()])) as Record<(typeof SEVERITIES)[number], z.ZodNumber>) })
  .openapi({ example: example.alertSummary });
const Acknowledged = z.object({ id: z.string(), status: z.enum(['Acknowledged']) }).openapi({ example: { id: example.ALERT_ID, status: 'Acknowledged' } });
const Inactivated = z.object({ id: z.string(), status: z.literal('Inactive') }).openapi({ example: { id: example.ALERT_ID, status: 'Inactive' } });

// Documented, but validated by `alertChange` below: the body is optional, and clients that send an
// empty body with a JSON content type (many do) must not meet a "malformed JSON" 400.
const optionalComment = {
  required: false,
  content: { 'application/json': { schema: { type: 'object' as const, properties: { comment: { type: 'string' as const, maxLength: 1000 } }, example: { comment: 'Looking into it with the DBA team' } } } },
};

async function alertChange(c: Context<AppEnv>): Promise<AlertChange> {
  const text = (await c.req.text()).trim();
  let body: unknown = {};
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      throw new ProblemError(400, 'The body is not valid JSON: send {"comment": "…"} or no body.');
    }
  }
  const parsed = AlertCommentBody.safeParse(body);
  if (!parsed.success) throw validationProblem(parsed.error, 'body');
  return { by: actorName(c.get('principal')), comment: parsed.data.comment || null, requestId: c.get('requestId') };
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
      const cursor = decodeCursor(query.cursor);
      await requireVault(deps, vaultId);
      return c.json(await listAlerts(deps.db, vaultId, { ...query, cursor }) as z.infer<typeof AlertPage>, 200);
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
      request: { params: AlertParams, body: optionalComment },
      responses: { 202: { description: 'The alert reads Acknowledged', content: { 'application/json': { schema: Acknowledged } } }, ...problems(400, 404, 409) },
    }),
    async (c) => {
      const { vaultId, alertId } = c.req.valid('param');
      const change = await alertChange(c);
      await requireVault(deps, vaultId);
      return c.json(await acknowledgeAlert(deps, vaultId, alertId, change) as z.infer<typeof Acknowledged>, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/v1/vaults/{vaultId}/alerts/{alertId}/inactivate', tags: ['Alerts'], summary: 'Inactivate an alert',
      description: 'From Active or Acknowledged, with resolution Manual. Inactivating an Inactive alert changes nothing.',
      request: { params: AlertParams, body: optionalComment },
      responses: { 202: { description: 'The alert reads Inactive', content: { 'application/json': { schema: Inactivated } } }, ...problems(400, 404) },
    }),
    async (c) => {
      const { vaultId, alertId } = c.req.valid('param');
      const change = await alertChange(c);
      await requireVault(deps, vaultId);
      return c.json(await inactivateAlert(deps, vaultId, alertId, change) as z.infer<typeof Inactivated>, 202);
    },
  );
}
