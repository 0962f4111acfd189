import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { accessControl } from './auth/middleware';
import { BEARER_SCHEME, documentAccessControl } from './auth/openapi';
import { createConsole } from './console/index';
import type { AppDeps, AppEnv } from './deps';
import { registerDocsRoutes } from './docs';
import { createHttpMetrics, METRICS_PATH, registerMetricsRoute, routeLabel } from './metrics';
import { ProblemError, problemResponse } from './problem';
import { registerAlertRoutes } from './routes/alerts';
import { registerAuditRoutes } from './routes/audit';
import { registerDeliveryRoutes } from './routes/deliveries';
import { registerHealthRoutes } from './routes/health';
import { registerItemRoutes } from './routes/items';
import { registerJobRoutes } from './routes/jobs';
import { registerReportRoutes } from './routes/report';
import { registerSettingsRoutes } from './routes/settings';
import { registerTokenRoutes } from './routes/tokens';
import { registerSilenceRoutes } from './routes/silences';
import { registerVaultRoutes } from './routes/vaults';
import { registerWebhookRoutes } from './routes/webhooks';
import { isDependencyOutage } from './unavailable';
import { issuesDetail, validationProblem } from './validation';

export const BODY_LIMIT_BYTES = 64 * 1024;

// A client's own request id is kept when it is a plain token, so it can join logs across systems.
const CLIENT_REQUEST_ID = /^[\w.:-]{1,100}$/;
const VAULT_PATH = /^\/v1\/vaults\/[^/]*\/?$/;

export function createApp(deps: AppDeps) {
  const metrics = deps.metrics ?? createHttpMetrics();
  const app = new OpenAPIHono<AppEnv>({
    // Every schema failure (params, query, JSON body) becomes one 400 problem listing each issue,
    // except an id in the path that cannot be valid: it names no vault, job, alert, item, webhook
    // or silence, so it is a 404 like any unknown id (§4). Only PUT /v1/vaults/{vaultId} names a
    // new vault, whose id is input to validate (400).
    defaultHook: (result, c) => {
      if (result.success) return;
      if (result.target === 'param' && !(c.req.method === 'PUT' && VAULT_PATH.test(c.req.path))) {
        throw new ProblemError(404, `Not found: ${issuesDetail(result.error, 'param')}.`);
      }
      throw validationProblem(result.error, result.target === 'json' ? 'body' : result.target);
    },
  });

  app.use('*', async (c, next) => {
    const offered = c.req.header('x-request-id');
    const requestId = offered && CLIENT_REQUEST_ID.test(offered) ? offered : randomUUID();
    c.set('requestId', requestId);
    c.set('principal', null);
    c.set('log', deps.log.child({ requestId }));
    c.header('x-request-id', requestId);
    const started = performance.now();
    await next();
    const fields = { method: c.req.method, path: c.req.path, route: routeLabel(c), status: c.res.status, ms: Math.round(performance.now() - started) };
    // Scrapes every few seconds would drown the log; they stay visible at debug level.
    c.get('log')[c.req.path === METRICS_PATH ? 'debug' : 'info'](fields, 'request');
  });
  app.use('*', metrics.middleware);
  // First on /v1: an unauthenticated request is refused before its body is even read.
  app.use('/v1/*', accessControl(deps));
  app.use('/v1/*', async (c, next) => {
    // Admin scripts often send JSON with curl -d (form content type) or none at all: a body is
    // always read as JSON, so such a request gets the same validation instead of a 415.
    const type = c.req.header('content-type') ?? '';
    if (['POST', 'PUT', 'PATCH'].includes(c.req.method) && !/^application\/([\w.+-]*\+)?json\b/i.test(type)) {
      const headers = new Headers(c.req.raw.headers);
      headers.set('content-type', 'application/json');
      c.req.raw = new Request(c.req.raw, { headers, duplex: 'half' } as RequestInit);
    }
    await next();
  });
  const limitBody = bodyLimit({
    maxSize: BODY_LIMIT_BYTES,
    onError: (c) => problemResponse(c, 413, `The body is larger than ${BODY_LIMIT_BYTES} bytes.`),
  });
  // No route reads the body of a GET or HEAD; asking for it would build a full Request from the
  // adapter's lightweight one (an AbortController and a stream) on every list call.
  app.use('/v1/*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next)));

  registerHealthRoutes(app, deps);
  registerVaultRoutes(app, deps);
  registerSettingsRoutes(app, deps);
  registerJobRoutes(app, deps);
  registerAlertRoutes(app, deps);
  registerItemRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerTokenRoutes(app, deps);
  registerReportRoutes(app, deps);
  registerSilenceRoutes(app, deps);
  registerWebhookRoutes(app, deps);
  registerDeliveryRoutes(app, deps);

  registerMetricsRoute(app, metrics.registry);
  registerDocsRoutes(app);
  // §7: every operation needs the bearer token unless it says otherwise (/healthz does).
  documentAccessControl(app);
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    security: [{ [BEARER_SCHEME]: [] }],
    info: { title: 'Backup Monitor API', version: '0.1.0', description: 'Backup jobs, alerts and notifications.' },
  });

  app.route('/console', createConsole(deps));
  app.notFound((c) => problemResponse(c, 404, `No route for ${c.req.method} ${c.req.path}.`));
  app.onError((error, c) => {
    if (error instanceof ProblemError) return problemResponse(c, error.status, error.detail, error.extensions);
    if (isDependencyOutage(error)) {
      deps.log.warn({ err: error, requestId: c.get('requestId') }, 'dependency unavailable');
      c.header('retry-after', '5');
      return problemResponse(c, 503, 'Postgres or Temporal is unavailable; retry shortly.', { requestId: c.get('requestId') });
    }
    if (error instanceof HTTPException) return problemResponse(c, error.status as 400, error.message || 'Bad request.');
    (c.get('log') ?? deps.log).error({ err: error, requestId: c.get('requestId') }, 'unhandled error');
    return problemResponse(c, 500, 'An unexpected error occurred; it has been logged.', { requestId: c.get('requestId') });
  });
  return app;
}
