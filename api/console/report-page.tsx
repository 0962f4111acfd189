/** @jsxImportSource hono/jsx */
// The report of any period (default the last 7 days, at most 90): the same query and the same
// numbers as GET …/report and the periodic email, which links here for its period.
import type { Hono } from 'hono';
import { consolePaths } from '../../domain/console-links';
import { resolveReportPeriod } from '../../domain/report-period';
import { SEVERITIES } from '../../domain/types';
import { vaultReport } from '../../readmodel/report';
import type { AppDeps, AppEnv } from '../deps';
import { requireVault } from '../routes/shared';
import { Cols, utcText } from './components';
import { vaultPath } from './forms';
import { Layout, VaultTabs } from './layout';
import { ReportView } from './overview';

const readTime = (text: string | undefined) => {
  const at = text ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? undefined : new Date(at);
};

export function registerReportPage(app: Hono<AppEnv>, deps: AppDeps) {
  app.get('/vaults/:vaultId/report', async (c) => {
    const vault = await requireVault(deps, c.req.param('vaultId'));
    const period = resolveReportPeriod({ from: readTime(c.req.query('from')), to: readTime(c.req.query('to')) }, deps.now?.() ?? new Date());
    const crumbs = [{ label: 'Vaults', href: '/console' }, { label: vault.id, href: vaultPath(vault.id) }, { label: 'Report' }];
    if (!period.ok) {
      return c.html(<Layout title="Report" crumbs={crumbs}><h1>Report</h1><p class="errors" role="alert">The period is not valid: {period.problem}.</p></Layout>, 400);
    }
    const report = await vaultReport(deps.db, vault.id, period.from, period.to);
    const label = `${utcText(report.from)} – ${utcText(report.to)}`;
    const scenarios = Object.entries(report.alertsByScenario).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
    return c.html(
      <Layout title={`Report · ${vault.name ?? vault.id}`} crumbs={crumbs}>
        <h1>Report of {vault.name ?? vault.id}</h1>
        <VaultTabs base={vaultPath(vault.id)} current="report" />
        <form class="filters" method="get" id="report-period">
          <label>From (UTC, ISO 8601)<input name="from" value={report.from} size={26} /></label>
          <label>To<input name="to" value={report.to} size={26} /></label>
          <button type="submit">Show</button>
          <a href={`${vaultPath(vault.id)}/report`}>Last 7 days</a>
        </form>
        <p class="muted" id="report-label">{label} (the same figures as GET /v1/vaults/{vault.id}/report and the periodic email)</p>
        <ReportView vaultId={vault.id} report={report} label="in this period" />
        <div class="grid" style="margin-top:16px">
          <section>
            <h2>Alerts raised</h2>
            <table id="report-alerts">
              <Cols widths={[null, 'w-num']} />
              <thead><tr><th>Scenario</th><th class="num">Alerts</th></tr></thead>
              <tbody>
                {scenarios.length === 0 && <tr><td class="empty" colspan={2}>No alerts raised.</td></tr>}
                {scenarios.map(([scenario, n]) => <tr><td><a href={consolePaths.alerts(vault.id, { scenario, from: report.from, to: report.to })}>{scenario}</a></td><td class="num">{n}</td></tr>)}
              </tbody>
            </table>
            <p class="muted">{SEVERITIES.map((s) => `${report.alertsBySeverity[s]} ${s}`).join(' · ')}</p>
          </section>
          <section>
            <h2>Missed backups</h2>
            <table id="report-missed">
              <Cols widths={[null, 'w-wl', 'w-num']} />
              <thead><tr><th>Item</th><th>Workload</th><th class="num">Misses</th></tr></thead>
              <tbody>
                {report.missedItems.length === 0 && <tr><td class="empty" colspan={3}>No missed backups.</td></tr>}
                {report.missedItems.map((m) => (
                  <tr><td><a class="trunc" title={m.entityName} href={consolePaths.item(vault.id, m.workloadType, m.entityName)}>{m.entityName}</a></td><td>{m.workloadType}</td><td class="num">{m.misses}</td></tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      </Layout>,
    );
  });
}
