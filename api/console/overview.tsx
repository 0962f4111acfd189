/** @jsxImportSource hono/jsx */
// The vault overview: what needs attention first (open alerts), then how the vault is doing over
// the last 14 days, from the same report query as GET …/report and the periodic email.
import { consolePaths } from '../../domain/console-links';
import { DAY_MS, floorDay } from '../../domain/report-period';
import { formatRate, formatSpan, jobTotals, type VaultReport } from '../../domain/report';
import { ITEM_HEALTHS } from '../../domain/types';
import type { Database } from '../../db/client';
import { listJobs } from '../../readmodel/jobs';
import { listOpenAlerts } from '../../readmodel/open-alerts';
import { vaultReport } from '../../readmodel/report';
import { JobsChart } from './charts';
import { AlertsTable, Cols, JobsTable, Live, SeverityTiles, type AlertActions } from './components';

export const OVERVIEW_DAYS = 14;

/** The 14 UTC days ending today (today partial), so the chart always has 14 bars. */
export function overviewPeriod(now: Date) {
  return { from: new Date(floorDay(now).getTime() - (OVERVIEW_DAYS - 1) * DAY_MS), to: now };
}

export async function openAlertsSection(db: Database, vaultId: string, back: string, actions?: AlertActions) {
  const open = await listOpenAlerts(db, vaultId);
  const total = Object.values(open.counts).reduce((a, b) => a + b, 0);
  return (
    <>
      <SeverityTiles counts={open.counts} label="Open" link={(severity) => consolePaths.alerts(vaultId, { status: 'open', severity })} />
      <p class="muted">
        {total === 0 ? 'No open alerts: nothing needs attention.' : `${total} open, worst first.`}
        {total > open.items.length && <> Showing {open.items.length}; <a href={consolePaths.alerts(vaultId, { status: 'open' })}>see all open alerts</a>.</>}
      </p>
      {open.items.length > 0 && <AlertsTable id="open-alerts" vaultId={vaultId} alerts={open.items} back={back} actions={actions} />}
    </>
  );
}

export async function recentFailuresSection(db: Database, vaultId: string) {
  const failures = await listJobs(db, vaultId, { status: 'Failed', limit: 8, cursor: null });
  return (
    <>
      <JobsTable id="recent-failures" jobs={failures.items} empty="No failed jobs." />
      <p><a href={consolePaths.jobs(vaultId, { jobStatus: 'Failed' })}>All failed jobs</a></p>
    </>
  );
}

function Figures(props: { report: VaultReport }) {
  const { report } = props;
  const totals = jobTotals(report);
  const alerts = Object.values(report.alertsBySeverity).reduce((a, b) => a + b, 0);
  return (
    <div class="figures" id="figures">
      <div><span class="muted">Backup success</span><b data-figure="successRate">{formatRate(report.successRate)}</b></div>
      <div><span class="muted">Jobs finished</span><b data-figure="jobs">{totals.total}</b></div>
      <div><span class="muted">Failed</span><b data-figure="failed">{totals.Failed}</b></div>
      <div><span class="muted">Alerts raised</span><b data-figure="alerts">{alerts}</b></div>
      <div><span class="muted">Mean time to resolve</span><b data-figure="mttr">{formatSpan(report.meanTimeToResolveMs)}</b></div>
    </div>
  );
}

function WorstItems(props: { vaultId: string; report: VaultReport; label: string }) {
  const { vaultId, report } = props;
  const missed = new Map(report.missedItems.map((m) => [`${m.workloadType}/${m.entityName}`, m.misses]));
  const rows = report.topFailingItems.map((item) => ({ ...item, misses: missed.get(`${item.workloadType}/${item.entityName}`) ?? 0 }));
  for (const m of report.missedItems) {
    if (rows.length >= 10) break;
    if (!rows.some((r) => r.workloadType === m.workloadType && r.entityName === m.entityName)) rows.push({ ...m, failures: 0 });
  }
  return (
    <table id="worst-items">
      <Cols widths={[null, 'w-wl', 'w-num', 'w-num']} />
      <thead><tr><th>Item</th><th>Workload</th><th class="num">Failed</th><th class="num">Missed</th></tr></thead>
      <tbody>
        {rows.length === 0 && <tr><td class="empty" colspan={4}>No failed or missed backups {props.label}.</td></tr>}
        {rows.map((item) => (
          <tr data-item={`${item.workloadType}/${item.entityName}`}>
            <td><a class="trunc" title={item.entityName} href={consolePaths.item(vaultId, item.workloadType, item.entityName)}>{item.entityName}</a></td>
            <td>{item.workloadType}</td>
            <td class="num">{item.failures}</td>
            <td class="num">{item.misses}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function HealthTiles(props: { vaultId: string; counts: VaultReport['itemsByHealth'] }) {
  return (
    <div class="tiles" id="items-by-health">
      {ITEM_HEALTHS.map((health) => (
        <a class={`tile ${health}`} href={consolePaths.items(props.vaultId, { health })} data-health={health}>
          <div class="count" data-testid={`health-${health}`}>{props.counts[health]}</div>
          <div class="label">{health} items</div>
        </a>
      ))}
    </div>
  );
}

/** The report's picture: figures, the chart, the items failing most, items by health. */
export function ReportView(props: { vaultId: string; report: VaultReport; label: string }) {
  const { vaultId, report, label } = props;
  return (
    <>
      <Figures report={report} />
      <JobsChart id="jobs-chart" title={`Jobs by status per day, ${label}`} days={report.jobsByDay} successRate={report.successRate} />
      <div class="grid" style="margin-top:16px">
        <section>
          <h2 id="worst-items-heading">Items failing most ({label})</h2>
          <WorstItems vaultId={vaultId} report={report} label={label} />
        </section>
        <section>
          <h2>Items by health (now)</h2>
          <HealthTiles vaultId={vaultId} counts={report.itemsByHealth} />
        </section>
      </div>
    </>
  );
}

export async function trendSection(db: Database, vaultId: string, now: Date) {
  const period = overviewPeriod(now);
  const report = await vaultReport(db, vaultId, period.from, period.to);
  return <ReportView vaultId={vaultId} report={report} label={`last ${OVERVIEW_DAYS} days`} />;
}

/** Sections the page refreshes in place: each is also served alone at `<vault>/live/<name>`. */
export const LIVE_SECTIONS = ['open-alerts', 'trend', 'recent-failures'] as const;
export type LiveSection = (typeof LIVE_SECTIONS)[number];

export function renderSection(name: LiveSection, db: Database, vaultId: string, now: Date, back: string) {
  switch (name) {
    case 'open-alerts': return openAlertsSection(db, vaultId, back);
    case 'trend': return trendSection(db, vaultId, now);
    case 'recent-failures': return recentFailuresSection(db, vaultId);
  }
}

export async function Overview(props: { db: Database; vaultId: string; now: Date; base: string; refreshSeconds: number }) {
  const { db, vaultId, now, base, refreshSeconds } = props;
  const live = (name: LiveSection) => `${base}/live/${name}`;
  const [openAlerts, trend, failures] = await Promise.all(LIVE_SECTIONS.map((name) => renderSection(name, db, vaultId, now, base)));
  return (
    <>
      <h2 id="open-alerts-heading">Open alerts</h2>
      <Live id="live-open-alerts" src={live('open-alerts')} every={refreshSeconds}>{openAlerts}</Live>
      <h2>Last {OVERVIEW_DAYS} days</h2>
      <Live id="live-trend" src={live('trend')} every={Math.max(refreshSeconds, 30)}>{trend}</Live>
      <h2>Recent failures</h2>
      <Live id="live-recent-failures" src={live('recent-failures')} every={refreshSeconds}>{failures}</Live>
    </>
  );
}

