// Prometheus metrics of the HTTP API. Counters live in the Registry the caller passes, so each app
// (and each test) has its own and nothing is global to the process.
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { Counter, Histogram, Registry } from 'prom-client';

export const METRICS_PATH = '/metrics';

export interface HttpMetrics {
  registry: Registry;
  middleware: MiddlewareHandler;
}

/**
 * The route label is the pattern that matched (`/v1/vaults/:vaultId/jobs`), never the raw path:
 * one series per vault or job id would grow without bound. Requests no route matched share one.
 */
export function routeLabel(c: Context): string {
  const routes = matchedRoutes(c);
  // The route that answered; `/alerts/summary` also matches `/alerts/:alertId`, registered later.
  const answered = routes[c.req.routeIndex];
  if (answered && answered.method !== 'ALL') return answered.path;
  // A middleware (`use`, registered for ALL methods) answered, e.g. a 413: the route it guarded.
  return routes.find((route) => route.method !== 'ALL')?.path ?? 'unmatched';
}

export function createHttpMetrics(registry = new Registry()): HttpMetrics {
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, matched route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method and matched route',
    labelNames: ['method', 'route'] as const,
    // Reads answer in milliseconds; writes wait up to a few seconds for the read model.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const middleware: MiddlewareHandler = async (c, next) => {
    const stop = duration.startTimer();
    try {
      await next();
    } finally {
      const route = routeLabel(c);
      const method = c.req.method;
      stop({ method, route });
      requests.inc({ method, route, status: String(c.res.status) });
    }
  };
  return { registry, middleware };
}

/** GET /metrics in the Prometheus text format; it stays out of the OpenAPI document on purpose. */
export function registerMetricsRoute(app: Hono<any>, registry: Registry) {
  app.get(METRICS_PATH, async (c) => c.body(await registry.metrics(), 200, { 'content-type': registry.contentType }));
}
