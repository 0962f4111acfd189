/** @jsxImportSource hono/jsx */
// Sign-in and sign-out, and the session check every other console page runs behind.
import type { Hono, MiddlewareHandler } from 'hono';
import { authenticateSecret } from '../auth/authenticate';
import type { AppDeps, AppEnv } from '../deps';
import { Layout } from './layout';
import {
  csrfTokenFor, endSession, sameCsrf, SessionContext, sessionSecret, startSession, withCsrfFields, CSRF_FIELD,
  type ConsoleSession,
} from './session';

/** Only a console page may be the target after sign-in: never another site (open redirect). */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/console') || next.startsWith('//') || /[\\\s]/.test(next)) return '/console';
  const url = new URL(next, 'http://console.invalid');
  return url.origin === 'http://console.invalid' && (url.pathname === '/console' || url.pathname.startsWith('/console/')) ? `${url.pathname}${url.search}` : '/console';
}

function SignInPage(props: { next: string; error?: string }) {
  return (
    <Layout title="Sign in">
      <h1>Sign in</h1>
      <form class="settings" method="post" action="/console/sign-in" id="sign-in-form">
        <label>
          API token
          <input type="password" name="token" autocomplete="off" required placeholder="bm_…" />
        </label>
        <input type="hidden" name="next" value={props.next} />
        {props.error && <div class="errors" role="alert" id="sign-in-error">{props.error}</div>}
        <p class="muted">A token from <code>npm run token:create</code> or <code>POST /v1/tokens</code>; the console shows and allows what its role allows.</p>
        <div><button type="submit">Sign in</button></div>
      </form>
    </Layout>
  );
}

export function registerSignIn(app: Hono<AppEnv>, deps: AppDeps) {
  app.get('/sign-in', (c) => c.html(<SignInPage next={safeNext(c.req.query('next'))} />));

  app.post('/sign-in', async (c) => {
    const form = await c.req.parseBody();
    const secret = typeof form.token === 'string' ? form.token.trim() : '';
    const next = safeNext(form.next);
    const authenticated = secret ? await authenticateSecret(deps, secret) : { refused: 'missing' as const };
    if ('refused' in authenticated) {
      // The same words for every refusal: the page must not tell which tokens exist.
      return c.html(<SignInPage next={next} error="This token is not valid: it is unknown, expired or revoked." />, 401);
    }
    startSession(c, secret);
    return c.redirect(next, 303);
  });

  app.post('/sign-out', async (c) => {
    const secret = sessionSecret(c);
    const form = await c.req.parseBody();
    // A cross-site page must not be able to sign the admin out either.
    if (secret && !sameCsrf(csrfTokenFor(secret), form[CSRF_FIELD])) return c.redirect('/console', 303);
    endSession(c);
    return c.redirect('/console/sign-in', 303);
  });
}

/**
 * Every page after sign-in: the cookie's token is authenticated like a bearer token; without a
 * valid one a page redirects to sign-in and a form post is refused. Pages render inside the
 * session context, and every POST form of an HTML answer gets the CSRF field.
 */
export function requireSession(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const secret = sessionSecret(c);
    const authenticated = secret ? await authenticateSecret(deps, secret) : null;
    if (!secret || !authenticated || 'refused' in authenticated) {
      if (secret) endSession(c);
      if (c.req.method === 'GET' || c.req.method === 'HEAD') {
        const here = `${c.req.path}${new URL(c.req.url).search}`;
        return c.redirect(`/console/sign-in?next=${encodeURIComponent(here)}`, 303);
      }
      return c.html(<SignInPage next="/console" error="Your session has ended: sign in again." />, 401);
    }
    const session: ConsoleSession = { principal: authenticated.principal, csrf: csrfTokenFor(secret) };
    c.set('principal', session.principal);
    c.set('log', c.get('log').child({ principal: session.principal.name }));
    const html = c.html.bind(c);
    c.html = ((node: unknown, ...rest: unknown[]) =>
      (html as (...args: unknown[]) => Response | Promise<Response>)(<SessionContext.Provider value={session}>{node as never}</SessionContext.Provider>, ...rest)) as typeof c.html;
    await next();
    if (c.res.headers.get('content-type')?.startsWith('text/html')) {
      const page = await c.res.text();
      const headers = new Headers(c.res.headers);
      headers.delete('content-length');
      c.res = new Response(withCsrfFields(page, session.csrf), { status: c.res.status, headers });
    }
  };
}
