import type { z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps';
import { PROBLEM_TITLES, notFound } from '../problem';
import { findVault } from '../read/vaults';
import { Problem } from '../schemas';

/** A required JSON body, validated by the route's schema before the handler runs. */
export const jsonBody = <S extends z.ZodTypeAny>(schema: S) => ({
  content: { 'application/json': { schema } },
  required: true,
});

export function problems<C extends number>(...codes: C[]) {
  return Object.fromEntries(
    codes.map((code) => [code, {
      description: PROBLEM_TITLES[code] ?? 'Error',
      content: { 'application/problem+json': { schema: Problem } },
    }]),
  ) as Record<C, { description: string; content: { 'application/problem+json': { schema: typeof Problem } } }>;
}

export async function requireVault(deps: AppDeps, vaultId: string) {
  const vault = await findVault(deps.db, vaultId);
  if (!vault) throw notFound(`Vault ${vaultId}`);
  return vault;
}
