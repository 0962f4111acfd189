/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps, AppEnv } from '../deps';
import { ProblemError } from '../problem';
import { isDependencyOutage } from '../unavailable';
import { consoleAccess } from './access';
import { registerAlertPages } from './alert-pages';
import { CONSOLE_SCRIPT } from './assets';
import { registerItemPages } from './item-pages';
import { registerChannelPages } from './channel-pages';
import { ErrorPage } from './layout';
import { registerReportPage } from './report-page';
import { registerSettingsPage } from './settings-page';
import { registerSignIn, requireSession } from './sign-in';
import { registerSilencePages } from './silence-pages';
import { registerVaultPages } from './vault-pages';

// Room for 100 recipients of 254 characters; nothing else the console posts comes close.
const FORM_LIMIT_BYTES = 64 * 1024;

// Inline styles only, no scripts, forms posting to ourselves, and never framed (clickjacking the
// Inactivate button would otherwise be possible).
// The one script is ours (assets.ts), fetched from this origin; it only fetches fragments from here.
const CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

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

  // The console's own script needs no session: the sign-in page uses it too.
  app.get('/assets/console.js', (c) => {
    c.header('content-type', 'text/javascript; charset=utf-8');
    return c.body(CONSOLE_SCRIPT);
  });
  // Sign-in first: every page registered after the session check needs a signed-in token, and
  // each form post its CSRF token and the right the access table gives its API twin.
  registerSignIn(app, deps);
  app.use('*', requireSession(deps));
  app.use('*', consoleAccess());

  registerVaultPages(app, deps);
  registerAlertPages(app, deps);
  registerSettingsPage(app, deps);
  registerItemPages(app, deps);
  registerReportPage(app, deps);
  registerSilencePages(app, deps);
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
