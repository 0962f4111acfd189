// What each console form does, as the API route whose rule (api/auth/rules.ts) applies to it:
// the console enforces the same table as /v1 and cannot drift from it. A console POST missing
// here is refused, like an API route without a rule. Pages (GET) with a vault need that vault's
// read right (Reader and the vault in the token's scope).
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { decideAccess, pathParams, ruleFor, ruleKey } from '../auth/access';
import type { AppEnv } from '../deps';
import { ProblemError } from '../problem';
import { CSRF_FIELD, csrfTokenFor, sameCsrf, sessionSecret } from './session';

export const CONSOLE_ACTIONS: Record<string, string> = {
  'POST /console/vaults/{vaultId}/webhooks': 'POST /v1/vaults/{vaultId}/webhooks',
  'POST /console/vaults/{vaultId}/webhooks/{webhookId}/test': 'POST /v1/vaults/{vaultId}/webhooks/{webhookId}/test',
  'POST /console/vaults/{vaultId}/webhooks/{webhookId}/delete': 'DELETE /v1/vaults/{vaultId}/webhooks/{webhookId}',
  'POST /console/vaults/{vaultId}/alerts/{alertId}/acknowledge': 'POST /v1/vaults/{vaultId}/alerts/{alertId}/acknowledge',
  'POST /console/vaults/{vaultId}/silences': 'POST /v1/vaults/{vaultId}/silences',
  'POST /console/vaults/{vaultId}/silences/{silenceId}/delete': 'DELETE /v1/vaults/{vaultId}/silences/{silenceId}',
  'POST /console/vaults/{vaultId}/alerts/{alertId}/inactivate': 'POST /v1/vaults/{vaultId}/alerts/{alertId}/inactivate',
  'POST /console/vaults/{vaultId}/settings': 'PUT /v1/vaults/{vaultId}/notification-settings',
  'POST /console/vaults/{vaultId}/items/{workloadType}/{entityName}/policy': 'PUT /v1/vaults/{vaultId}/items/{workloadType}/{entityName}/policy',
};
const READ_VAULT = 'GET /v1/vaults/{vaultId}';

function answeringRoute(c: Context) {
  return matchedRoutes(c).find((route) => route.method !== 'ALL');
}

/** Refuses (403) a form post without this session's CSRF token, and whatever the role or scope does not allow. */
export function consoleAccess(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    const secret = sessionSecret(c);
    const route = answeringRoute(c);
    if (!principal || !secret || !route) return next();
    const vaultId = pathParams(route.path, c.req.path).vaultId;
    let apiRule = READ_VAULT;
    if (c.req.method === 'POST') {
      const form = await c.req.parseBody();
      if (!sameCsrf(csrfTokenFor(secret), form[CSRF_FIELD])) throw new ProblemError(403, 'This form is stale or was sent from another site; reload the page and try again.');
      const action = Object.hasOwn(CONSOLE_ACTIONS, ruleKey(route.method, route.path)) ? CONSOLE_ACTIONS[ruleKey(route.method, route.path)] : undefined;
      if (!action) throw new ProblemError(403, 'This console action has no access rule.');
      apiRule = action;
    } else if (vaultId === undefined) {
      return next();
    }
    const decision = decideAccess(principal, apiRule, ruleFor(apiRule), vaultId);
    if (!decision.allowed) throw new ProblemError(403, decision.detail);
    return next();
  };
}
