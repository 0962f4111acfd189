import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { vaults } from '../../db/schema';
import { normalizeRecipients } from '../../domain/recipients';
import { vaultPolicyChanged } from '../commands/items';
import type { AppDeps, AppEnv } from '../deps';
import { ProblemError } from '../problem';
import { vaultFromRow } from '../../readmodel/vaults';
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
      const contacts = {
        owners: contactList(body.contacts.owners, 'owners'),
        admins: contactList(body.contacts.admins, 'admins'),
        coAdmins: contactList(body.contacts.coAdmins, 'coAdmins'),
      };
      const values = {
        id: vaultId, name: body.name ?? null, subscriptionId: body.subscriptionId ?? null, contacts,
        ...(body.autoResolve === undefined ? {} : { autoResolve: body.autoResolve }),
        ...(body.backupPolicy === undefined ? {} : { backupPolicy: body.backupPolicy }),
      };
      const [row] = await deps.db
        .insert(vaults)
        .values(values)
        .onConflictDoUpdate({ target: vaults.id, set: { ...values, updatedAt: sql`now()` } })
        .returning({ ...vaultColumns(), inserted: sql<boolean>`(xmax = 0)` });
      if (!row) throw new Error('vault upsert returned no row');
      const { inserted, ...vault } = row;
      if (body.backupPolicy !== undefined) await vaultPolicyChanged(deps, vaultId, vault.backupPolicy ?? null);
      return inserted ? c.json(vaultFromRow(vault), 201) : c.json(vaultFromRow(vault), 200);
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
