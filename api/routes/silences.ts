import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { createSilence, deleteSilence } from '../commands/silences';
import { actorName, type AppDeps, type AppEnv } from '../deps';
import { listSilences } from '../../readmodel/silences';
import { silence as silenceExample, Silence, SilenceBody, SilenceListQuery, SilenceParams } from '../silence-schemas';
import { VaultParams } from '../schemas';
import { jsonBody, problems, requireVault } from './shared';

const path = '/v1/vaults/{vaultId}/silences';

export function registerSilenceRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  app.openapi(
    createRoute({
      method: 'post', path, tags: ['Maintenance windows'], summary: 'Create a silence (maintenance window)',
      description: 'A one-off window (startsAt, default now, to endsAt) or a recurrence (rrule from startsAt, each occurrence lasting duration). '
        + 'Matching alerts are still raised and recorded but not notified; at the end of each occurrence the ones still open are notified once. Destructive notices are never silenced.',
      request: { params: VaultParams, body: jsonBody(SilenceBody) },
      responses: { 201: { description: 'The silence', content: { 'application/json': { schema: Silence } } }, ...problems(400, 404) },
    }),
    async (c) => {
      const { vaultId } = c.req.valid('param');
      const body = c.req.valid('json');
      await requireVault(deps, vaultId);
      const silence = await createSilence(deps, vaultId, body, { by: actorName(c.get('principal')), requestId: c.get('requestId') });
      return c.json(silence as z.infer<typeof Silence>, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path, tags: ['Maintenance windows'], summary: "The vault's silences, newest first",
      request: { params: VaultParams, query: SilenceListQuery },
      responses: { 200: { description: 'Silences with their status computed now', content: { 'application/json': { schema: z.object({ items: z.array(Silence) }).openapi({ example: { items: [silenceExample] } }) } } }, ...problems(400, 404) },
    }),
    async (c) => {
      const { vaultId } = c.req.valid('param');
      const { status } = c.req.valid('query');
      await requireVault(deps, vaultId);
      const items = await listSilences(deps.db, vaultId, deps.now?.() ?? new Date(), status);
      return c.json({ items } as { items: z.infer<typeof Silence>[] }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete', path: `${path}/{silenceId}`, tags: ['Maintenance windows'], summary: 'Delete a silence: it expires now',
      description: 'What it held back and is still open is notified at once.',
      request: { params: SilenceParams },
      responses: { 204: { description: 'Expired' }, ...problems(400, 404) },
    }),
    async (c) => {
      const { vaultId, silenceId } = c.req.valid('param');
      await requireVault(deps, vaultId);
      await deleteSilence(deps, vaultId, silenceId, { by: actorName(c.get('principal')), requestId: c.get('requestId') });
      return c.body(null, 204);
    },
  );
}
