// The pure half of authorization: which rule a matched route falls under, and whether a
// principal may call it. The middleware (middleware.ts) only gathers the inputs.
import { roleAtLeast } from '../../domain/tokens';
import type { Principal } from '../deps';
import { ACCESS_RULES, type AccessRule } from './rules';

/** `GET` + `/v1/vaults/:vaultId` (Hono) → `GET /v1/vaults/{vaultId}` (the OpenAPI spelling the table uses). */
export const ruleKey = (method: string, honoPath: string): string =>
  `${method.toUpperCase()} ${honoPath.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')}`;

export const ruleFor = (key: string, rules: Record<string, AccessRule> = ACCESS_RULES): AccessRule | undefined =>
  Object.hasOwn(rules, key) ? rules[key] : undefined;

/**
 * The values of a pattern's `:params` in a concrete path, decoded as Hono decodes them. Only
 * plain segment params exist in this API, so a segment-by-segment walk is exact.
 */
export function pathParams(pattern: string, path: string): Record<string, string> {
  const names = pattern.split('/');
  const values = path.split('/');
  const params: Record<string, string> = {};
  names.forEach((segment, index) => {
    const name = /^:(\w+)/.exec(segment)?.[1];
    const value = values[index];
    if (name && value !== undefined) params[name] = decodeSegment(value);
  });
  return params;
}

function decodeSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export type AccessDecision = { allowed: true } | { allowed: false; detail: string };

/**
 * §7: no rule refuses (a route added without one is a bug, never an open door); the role must
 * reach the rule's; `unscoped` rules need a token for every vault; a `vaultId` must be in scope.
 */
export function decideAccess(principal: Pick<Principal, 'role' | 'vaults'>, key: string, rule: AccessRule | undefined, vaultId: string | undefined): AccessDecision {
  if (!rule) return { allowed: false, detail: `${key} has no access rule; it is refused to every token.` };
  if (!roleAtLeast(principal.role, rule.role)) {
    return { allowed: false, detail: `A ${principal.role} token may not call ${key}; it needs the ${rule.role} role.` };
  }
  if (rule.unscoped && principal.vaults !== null) {
    return { allowed: false, detail: `${key} needs a token that is not limited to some vaults.` };
  }
  if (vaultId !== undefined && principal.vaults !== null && !principal.vaults.includes(vaultId)) {
    return { allowed: false, detail: `This token may not access vault ${vaultId}.` };
  }
  return { allowed: true };
}
