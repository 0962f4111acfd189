/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps, AppEnv } from '../deps';
import { ProblemError } from '../problem';
import { isDependencyOutage } from '../unavailable';
import { registerAlertPages } from './alert-pages';
import { registerChannelPages } from './channel-pages';
import { ErrorPage } from './layout';
import { registerSettingsPage } from './settings-page';
import { registerVaultPages } from './vault-pages';

// Room for 100 recipients of 254 characters; nothing else the console posts comes close.
const FORM_LIMIT_BYTES = 64 * 1024;

// Inline styles only, no scripts, forms posting to ourselves, and never framed (clickjacking the
// Inactivate button would otherwise be possible).
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * The vault admins' web console: server-rendered pages over the same read functions and commands
 * as the JSON API, so both always show and change the same state.
 */
export function createConsole(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    await next();
    c.header('content-security-policy', CSP);
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'same-origin');
    c.header('cache-control', 'no-store');
  });
  // Forms change state (inactivation, settings): refuse posts that another site made the browser send.
  app.use('*', csrf());
  app.use('*', bodyLimit({ maxSize: FORM_LIMIT_BYTES, onError: (c) => c.html(<ErrorPage status={413} detail="The form is too large." />, 413) }));

  registerVaultPages(app, deps);
  registerAlertPages(app, deps);
  registerSettingsPage(app, deps);
  registerChannelPages(app, deps);

  app.all('*', (c) => c.req.path === '/console/' ? c.redirect('/console', 301) : c.html(<ErrorPage status={404} detail={`No console page at ${c.req.path}.`} />, 404));
  app.onError((error, c) => {
    if (error instanceof ProblemError) return c.html(<ErrorPage status={error.status} detail={error.detail} />, error.status);
    if (error instanceof HTTPException) {
      const detail = error.status === 403 ? 'This form was sent from another site and was refused.' : error.message || 'Bad request.';
      return c.html(<ErrorPage status={error.status} detail={detail} />, error.status);
    }
    // Same answer as the API gives: an outage is a cue to retry, not a bug.
    if (isDependencyOutage(error)) {
      deps.log.warn({ err: error, requestId: c.get('requestId') }, 'dependency unavailable');
      c.header('retry-after', '5');
      return c.html(<ErrorPage status={503} detail="Postgres or Temporal is unavailable; retry in a few seconds." />, 503);
    }
    (c.get('log') ?? deps.log).error({ err: error, requestId: c.get('requestId') }, 'unhandled console error');
    return c.html(<ErrorPage status={500} detail={`An unexpected error occurred; it has been logged (request ${c.get('requestId')}).`} />, 500);
  });
  return app;
}
