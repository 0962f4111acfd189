import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import { resolveReportPeriod } from '../../domain/report-period';
import { vaultReport } from '../../readmodel/report';
import type { AppDeps, AppEnv } from '../deps';
import { ProblemError } from '../problem';
import { Report, ReportQuery, VaultParams } from '../schemas';
import { problems, requireVault } from './shared';

export function registerReportRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  app.openapi(
    createRoute({
      method: 'get', path: '/v1/vaults/{vaultId}/report', tags: ['Reports'], summary: 'The vault report over a period (§2.8)',
      description: 'Jobs by day, backup success rate, items by health, missed backups, alerts and the items failing most, over [from, to). Default: the last 7 days; at most 90.',
      request: { params: VaultParams, query: ReportQuery },
      responses: { 200: { description: 'The report', content: { 'application/json': { schema: Report } } }, ...problems(400, 404) },
    }),
    async (c) => {
      const { vaultId } = c.req.valid('param');
      const period = resolveReportPeriod(c.req.valid('query'), deps.now?.() ?? new Date());
      if (!period.ok) throw new ProblemError(400, `The report period is not valid: ${period.problem}.`);
      await requireVault(deps, vaultId);
      return c.json(await vaultReport(deps.db, vaultId, period.from, period.to) as z.infer<typeof Report>, 200);
    },
  );
}
