/** @jsxImportSource hono/jsx */
// Console sessions (§7): the browser keeps the token in an HttpOnly, SameSite=Strict cookie
// scoped to /console, and every request authenticates it again exactly as /v1 does, so expiry
// and revocation apply to the console at once and any API process can serve any session.
// /v1 never reads cookies: the cookie cannot be replayed against the JSON API by a browser.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createContext, useContext } from 'hono/jsx';
import type { Child } from 'hono/jsx';
import { decideAccess, ruleFor } from '../auth/access';
import type { AppEnv, Principal } from '../deps';

export const SESSION_COOKIE = 'bm_console';
const SESSION_MAX_AGE_S = 12 * 3600;
export const CSRF_FIELD = '_csrf';

export interface ConsoleSession {
  principal: Principal;
  /** The form token of this session: an HMAC keyed with the session's secret, so nothing is stored. */
  csrf: string;
}

export const csrfTokenFor = (secret: string): string => createHmac('sha256', secret).update('backup-monitor console csrf').digest('base64url');

export function sameCsrf(expected: string, offered: unknown): boolean {
  if (typeof offered !== 'string' || offered.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(offered));
}

export const sessionSecret = (c: Context<AppEnv>): string | undefined => getCookie(c, SESSION_COOKIE) || undefined;

const isHttps = (c: Context) => new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';

export function startSession(c: Context<AppEnv>, secret: string): void {
  setCookie(c, SESSION_COOKIE, secret, { httpOnly: true, sameSite: 'Strict', secure: isHttps(c), path: '/console', maxAge: SESSION_MAX_AGE_S });
}

export function endSession(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/console', secure: isHttps(c), httpOnly: true, sameSite: 'Strict' });
}

/** The signed-in principal of a console request; every page but sign-in runs behind the session check. */
export function requireConsolePrincipal(c: Context<AppEnv>): Principal {
  const principal = c.get('principal');
  if (!principal) throw new Error('console page rendered outside the session check');
  return principal;
}

// Pages render through c.html; the session middleware provides this context around every page,
// so components deep in a table can ask what the principal may do without props threading.
export const SessionContext = createContext<ConsoleSession | null>(null);
export const useConsoleSession = () => useContext(SessionContext);

/** Whether the principal may do what the API route `apiRule` (an ACCESS_RULES key) does, on this vault. */
export function mayCall(principal: Principal | null | undefined, apiRule: string, vaultId?: string): boolean {
  return !!principal && decideAccess(principal, apiRule, ruleFor(apiRule), vaultId).allowed;
}

/** Renders its children only for a principal allowed to call `route` (an ACCESS_RULES key), else `otherwise`. */
export function Allowed(props: { route: string; vaultId?: string; otherwise?: Child; children?: Child }) {
  const session = useConsoleSession();
  return <>{mayCall(session?.principal, props.route, props.vaultId) ? props.children : props.otherwise ?? null}</>;
}

/** The hidden form field carrying the CSRF token; forms without one get it inserted (see index.tsx). */
export function CsrfField() {
  const session = useConsoleSession();
  return session ? <input type="hidden" name={CSRF_FIELD} value={session.csrf} /> : null;
}
export const csrfField = (c: Context<AppEnv>) => {
  const secret = sessionSecret(c);
  return secret ? <input type="hidden" name={CSRF_FIELD} value={csrfTokenFor(secret)} /> : null;
};

/** Who is signed in, and the sign-out button, for the page header. */
export function SessionBadge() {
  const session = useConsoleSession();
  if (!session) return null;
  return (
    <span class="session" id="session">
      <span data-testid="principal">{session.principal.name}</span> · <span data-testid="role">{session.principal.role}</span>
      {session.principal.vaults && <> · {session.principal.vaults.length} vault(s)</>}
      <form class="inline" method="post" action="/console/sign-out"><CsrfField /><button type="submit" class="secondary" id="sign-out">Sign out</button></form>
    </span>
  );
}

const FORM_TAG = /<form\b[^>]*\bmethod="post"[^>]*>(?!<input type="hidden" name="_csrf")/gi;
/** Inserts the CSRF field into every POST form of a page that does not already carry one. */
export const withCsrfFields = (html: string, csrf: string): string =>
  html.replace(FORM_TAG, (tag) => `${tag}<input type="hidden" name="${CSRF_FIELD}" value="${csrf}"/>`);
