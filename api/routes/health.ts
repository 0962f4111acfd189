import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { AppDeps, AppEnv } from '../deps';
import { problemBody } from '../problem';
import { Problem } from '../schemas';

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms).unref())]);

async function check(probe: () => Promise<unknown>): Promise<'ok' | 'down'> {
  try {
    await withTimeout(probe(), 2_000);
    return 'ok';
  } catch {
    return 'down';
  }
}

const Unhealthy = Problem.extend({ checks: z.record(z.string(), z.enum(['ok', 'down'])) })
  .openapi({ example: problemBody(503, 'Temporal did not answer.', { checks: { postgres: 'ok', temporal: 'down' } }) });

export function registerHealthRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  app.openapi(
    createRoute({
      method: 'get', path: '/healthz', tags: ['Health'], summary: 'Postgres and Temporal answer',
      security: [], // open: load balancers and orchestrators probe it without a token
      responses: {
        200: { description: 'Healthy', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }).openapi({ example: { status: 'ok' } }) } } },
        503: { description: 'A dependency is down', content: { 'application/problem+json': { schema: Unhealthy } } },
      },
    }),
    async (c) => {
      const [postgres, temporal] = await Promise.all([
        check(() => deps.db.execute(sql`select 1`)),
        check(() => deps.temporal.workflowService.getSystemInfo({})),
      ]);
      if (postgres === 'ok' && temporal === 'ok') return c.json({ status: 'ok' as const }, 200);
      const down = [postgres === 'down' && 'Postgres', temporal === 'down' && 'Temporal'].filter(Boolean).join(' and ');
      const body = problemBody(503, `${down} did not answer.`, { checks: { postgres, temporal } });
      return c.body(JSON.stringify(body), 503, { 'content-type': 'application/problem+json' }) as never;
    },
  );
}
