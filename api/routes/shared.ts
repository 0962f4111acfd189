import type { z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps';
import { PROBLEM_TITLES, notFound, problemBody } from '../problem';
import { findVault } from '../../readmodel/vaults';
import { Problem } from '../schemas';

/** A required JSON body, validated by the route's schema before the handler runs. */
export const jsonBody = <S extends z.ZodTypeAny>(schema: S) => ({
  content: { 'application/json': { schema } },
  required: true,
});

const EXAMPLE_DETAILS: Record<number, string> = {
  400: 'The request is not valid: body.operation: Invalid option: expected one of "ConfigureBackup"|"Backup"|"Restore"|…',
  401: 'The bearer token is not valid: it is unknown, expired or revoked.',
  403: 'A Reader token may not call PUT /v1/vaults/{vaultId}; it needs the Admin role.',
  404: 'Vault contoso-prod-vault was not found.',
  409: 'Job b7d2e1f4-8c3a-4e59-a0d6-51c9f2e87b13 has already ended (Failed); a terminal job never changes.',
  422: 'DPM jobs are not monitored by the vault (WorkloadNotMonitored).',
};

export function problems<C extends number>(...codes: C[]) {
  return Object.fromEntries(
    codes.map((code) => [code, {
      description: PROBLEM_TITLES[code] ?? 'Error',
      content: { 'application/problem+json': { schema: Problem, example: problemBody(code, EXAMPLE_DETAILS[code] ?? 'See detail.') } },
    }]),
  ) as Record<C, { description: string; content: { 'application/problem+json': { schema: typeof Problem; example: unknown } } }>;
}

export async function requireVault(deps: AppDeps, vaultId: string) {
  const vault = await findVault(deps.db, vaultId);
  if (!vault) throw notFound(`Vault ${vaultId}`);
  return vault;
}

/**
 * A list of one vault's rows. The list query itself requires the vault (readmodel/vaults.ts
 * vaultExists), so a page with rows needs no lookup; only an empty one asks, to tell 404 from an
 * empty list. Saves every non-empty list a round trip.
 */
export async function vaultPage<P extends { items: readonly unknown[] }>(deps: AppDeps, vaultId: string, page: Promise<P>): Promise<P> {
  const result = await page;
  if (result.items.length === 0) await requireVault(deps, vaultId);
  return result;
}
