// The one access check of /v1 (§7): authenticate the bearer token, then authorize the matched
// route against ACCESS_RULES. Only the Authorization header counts: cookies never authenticate
// /v1, so a cross-site form post (which can carry cookies but no header) is always a 401.
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppDeps, AppEnv } from '../deps';
import { problemResponse } from '../problem';
import { decideAccess, pathParams, ruleFor, ruleKey } from './access';
import { authenticateHeader, REFUSAL_DETAIL } from './authenticate';

const CHALLENGE = 'Bearer realm="backup-monitor"';

/** The route that will answer: the first non-middleware route matched, as the router runs them in order. */
function answeringRoute(c: Context): { method: string; path: string } | undefined {
  return matchedRoutes(c).find((route) => route.method !== 'ALL');
}

export function accessControl(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const authentication = await authenticateHeader(deps, c.req.header('authorization'));
    if ('refused' in authentication) {
      // RFC 6750 §3: a bad token is invalid_token; a missing one gets the bare challenge.
      c.header('www-authenticate', authentication.refused === 'missing' ? CHALLENGE : `${CHALLENGE}, error="invalid_token"`);
      return problemResponse(c, 401, REFUSAL_DETAIL[authentication.refused]);
    }
    const { principal } = authentication;
    c.set('principal', principal);
    c.set('log', c.get('log').child({ principal: principal.name }));

    const route = answeringRoute(c);
    // No route at all: the app's 404 answers (only to an authenticated caller, so the API's
    // surface is not mapped by anonymous probes).
    if (!route) return next();
    const key = ruleKey(route.method, route.path);
    const vaultId = pathParams(route.path, c.req.path).vaultId;
    const decision = decideAccess(principal, key, ruleFor(key), vaultId);
    if (!decision.allowed) return problemResponse(c, 403, decision.detail);
    return next();
  };
}
