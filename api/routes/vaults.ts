import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { vaults } from '../../db/schema';
import { normalizeRecipients } from '../../domain/recipients';
import { vaultPolicyChanged } from '../commands/items';
import { recordAudit } from '../../readmodel/audit';
import { decodeKeyCursor, encodeKeyCursor, VaultListQuery, VaultPage } from '../auth/schemas';
import { actorName, principalOf, type AppDeps, type AppEnv } from '../deps';
import { ProblemError } from '../problem';
import { listVaultPage, vaultFromRow } from '../../readmodel/vaults';
import { Vault, VaultBody, VaultParams } from '../schemas';
import { jsonBody, problems, requireVault } from './shared';

function contactList(list: string[], field: string): string[] {
  const result = normalizeRecipients(list);
  if (!result.ok) throw new ProblemError(400, `contacts.${field}: ${result.problems.join('; ')}`);
  return result.recipients;
}

export function registerVaultRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  app.openapi(
    createRoute({
      method: 'put', path: '/v1/vaults/{vaultId}', tags: ['Vaults'], summary: 'Create or update a vault',
      request: { params: VaultParams, body: jsonBody(VaultBody) },
      responses: {
        201: { description: 'Vault created', content: { 'application/json': { schema: Vault } } },
        200: { description: 'Vault updated', content: { 'application/json': { schema: Vault } } },
        ...problems(400),
      },
    }),
    async (c) => {
      const { vaultId } = c.req.valid('param');
      const body = c.req.valid('json');
      const contacts = body.contacts && {
        owners: contactList(body.contacts.owners, 'owners'),
        admins: contactList(body.contacts.admins, 'admins'),
        coAdmins: contactList(body.contacts.coAdmins, 'coAdmins'),
      };
      // What the body gives replaces the stored value; what it leaves out is kept on an update.
      const given = {
        ...(body.name === undefined ? {} : { name: body.name }),
        ...(body.subscriptionId === undefined ? {} : { subscriptionId: body.subscriptionId }),
        ...(contacts === undefined ? {} : { contacts }),
        ...(body.autoResolve === undefined ? {} : { autoResolve: body.autoResolve }),
        ...(body.backupPolicy === undefined ? {} : { backupPolicy: body.backupPolicy }),
      };
      const values = { id: vaultId, name: null, subscriptionId: null, contacts: { owners: [], admins: [], coAdmins: [] }, ...given };
      // The change and its audit row commit together (§7): no vault change without its author.
      const row = await deps.db.transaction(async (tx) => {
        const [upserted] = await tx
          .insert(vaults)
          .values(values)
          .onConflictDoUpdate({ target: vaults.id, set: { ...given, updatedAt: sql`now()` } })
          .returning({ ...vaultColumns(), inserted: sql<boolean>`(xmax = 0)` });
        if (!upserted) throw new Error('vault upsert returned no row');
        await recordAudit(tx, { principal: actorName(c.get('principal')), action: 'vault.updated', vaultId, target: `vault/${vaultId}`, requestId: c.get('requestId') });
        return upserted;
      });
      const { inserted, ...vault } = row;
      if (body.backupPolicy !== undefined) await vaultPolicyChanged(deps, vaultId, vault.backupPolicy ?? null);
      return inserted ? c.json(vaultFromRow(vault), 201) : c.json(vaultFromRow(vault), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/vaults', tags: ['Vaults'], summary: 'The vaults this token may see, by id',
      request: { query: VaultListQuery },
      responses: { 200: { description: 'A page of vaults', content: { 'application/json': { schema: VaultPage } } }, ...problems(400) },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const afterId = decodeKeyCursor('v', cursor);
      if (afterId === null) throw new ProblemError(400, 'The cursor is not valid: pass back the nextCursor of a previous page unchanged.');
      const { items, more } = await listVaultPage(deps.db, { scope: principalOf(c).vaults, afterId, limit });
      const last = items.at(-1);
      return c.json({ items, nextCursor: more && last ? encodeKeyCursor('v', last.id) : null }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/vaults/{vaultId}', tags: ['Vaults'], summary: 'Get a vault',
      request: { params: VaultParams },
      responses: { 200: { description: 'The vault', content: { 'application/json': { schema: Vault } } }, ...problems(404) },
    }),
    async (c) => c.json(await requireVault(deps, c.req.valid('param').vaultId), 200),
  );
}

const vaultColumns = () => ({
  id: vaults.id, name: vaults.name, subscriptionId: vaults.subscriptionId, contacts: vaults.contacts,
  autoResolve: vaults.autoResolve, backupPolicy: vaults.backupPolicy, createdAt: vaults.createdAt, updatedAt: vaults.updatedAt,
});
