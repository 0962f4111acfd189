/** @jsxImportSource hono/jsx */
import type { Hono } from 'hono';
import { ALERT_STATUSES, JOB_STATUSES, OPERATIONS, SCENARIOS, SEVERITIES, WORKLOADS } from '../../domain/types';
import { UNMONITORED_WORKLOADS } from '../../domain/visibility';
import { decodeCursor } from '../cursor';
import type { AppDeps, AppEnv } from '../deps';
import { activeAlertSummary, listAlerts } from '../../readmodel/alerts';
import { listJobs } from '../../readmodel/jobs';
import { requireVault } from '../routes/shared';
import { AlertsTable, Hidden, JobsTable, Select, SeverityTiles } from './components';
import { flashText, oneOf, pageSize, vaultPath } from './forms';
import { Layout } from './layout';
import { listVaults } from './read';

// DPM and MABS jobs are never listed (§2.1): offering them as a filter would only show empty tables.
const VISIBLE_WORKLOADS = WORKLOADS.filter((workload) => !UNMONITORED_WORKLOADS.includes(workload));

/** A link to `path` with the given query, leaving out empty values so URLs stay readable. */
export function withQuery(path: string, params: Record<string, string | number | undefined | null>, hash = ''): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
  const text = query.toString();
  return `${path}${text ? `?${text}` : ''}${hash}`;
}

export function registerVaultPages(app: Hono<AppEnv>, deps: AppDeps) {
  app.get('/', async (c) => {
    const after = c.req.query('after') || undefined;
    const search = c.req.query('q')?.trim().slice(0, 128) || undefined;
    const { items, nextAfter } = await listVaults(deps.db, { after, search });
    return c.html(
      <Layout title="Vaults">
        <h1>Vaults</h1>
        <form class="filters" method="get" action="/console" id="vault-search">
          <label>Find a vault (id or name)<input type="search" name="q" value={search ?? ''} /></label>
          <button type="submit">Search</button>
          {search && <a href="/console">Clear</a>}
        </form>
        <table id="vaults">
          <thead><tr><th>Vault</th><th>Name</th><th>Subscription</th><th>Active Critical</th><th>Active alerts</th><th></th></tr></thead>
          <tbody>
            {items.length === 0 && <tr><td class="empty" colspan={6}>{search ? 'No vault matches this search.' : 'No vaults yet: create one with PUT /v1/vaults/{vaultId}.'}</td></tr>}
            {items.map((vault) => (
              <tr data-vault-id={vault.id}>
                <td><a href={vaultPath(vault.id)}>{vault.id}</a></td>
                <td>{vault.name ?? ''}</td>
                <td>{vault.subscriptionId ?? ''}</td>
                <td>{vault.activeCritical}</td>
                <td>{vault.activeTotal}</td>
                <td><a href={`${vaultPath(vault.id)}/settings`}>Notifications</a></td>
              </tr>
            ))}
          </tbody>
        </table>
        <div class="pager">
          {after && <a href={withQuery('/console', { q: search })}>First page</a>}
          {nextAfter && <a href={withQuery('/console', { q: search, after: nextAfter })}>Next page</a>}
        </div>
      </Layout>,
    );
  });

  app.get('/vaults/:vaultId', async (c) => {
    const vault = await requireVault(deps, c.req.param('vaultId'));
    const q = (name: string) => c.req.query(name) || undefined;
    const limit = pageSize(q('limit'));
    const jobFilter = { jobStatus: oneOf(JOB_STATUSES, q('jobStatus')), operation: oneOf(OPERATIONS, q('operation')), workloadType: oneOf(VISIBLE_WORKLOADS, q('workloadType')) };
    const alertFilter = { alertStatus: oneOf(ALERT_STATUSES, q('alertStatus')), severity: oneOf(SEVERITIES, q('severity')), scenario: oneOf(SCENARIOS, q('scenario')) };
    const jobsCursor = q('jobsCursor');
    const alertsCursor = q('alertsCursor');
    const [summary, jobs, alerts] = await Promise.all([
      activeAlertSummary(deps.db, vault.id),
      listJobs(deps.db, vault.id, { status: jobFilter.jobStatus, operation: jobFilter.operation, workloadType: jobFilter.workloadType, limit, cursor: decodeCursor(jobsCursor) }),
      listAlerts(deps.db, vault.id, { status: alertFilter.alertStatus, severity: alertFilter.severity, scenario: alertFilter.scenario, limit, cursor: decodeCursor(alertsCursor) }),
    ]);
    const base = vaultPath(vault.id);
    const shared = { ...jobFilter, ...alertFilter, limit: limit === 20 ? undefined : String(limit) };
    const here = withQuery(base, { ...shared, jobsCursor, alertsCursor });
    return c.html(
      <Layout title={vault.name ?? vault.id} flash={flashText(q('flash'))} crumbs={[{ label: 'Vaults', href: '/console' }, { label: vault.id }]}>
        <h1>{vault.name ?? vault.id}</h1>
        <p class="muted">
          Vault <code>{vault.id}</code>{vault.subscriptionId && <> · subscription <code>{vault.subscriptionId}</code></>} · <a href={`${base}/settings`}>Notification settings</a> · <a href={`${base}/webhooks`}>Webhooks</a> · <a href={`${base}/deliveries`}>Delivery log</a>
        </p>

        <h2>Active alerts</h2>
        <SeverityTiles counts={summary} link={(severity) => withQuery(base, { alertStatus: 'Active', severity }, '#alerts-section')} />

        <h2 id="jobs-section">Jobs</h2>
        <form class="filters" method="get" action={`${base}#jobs-section`} id="job-filters">
          <Select name="jobStatus" label="Status" options={JOB_STATUSES} value={jobFilter.jobStatus} anyLabel="Any" />
          <Select name="operation" label="Operation" options={OPERATIONS} value={jobFilter.operation} anyLabel="Any" />
          <Select name="workloadType" label="Workload type" options={VISIBLE_WORKLOADS} value={jobFilter.workloadType} anyLabel="Any" />
          <Hidden values={{ ...alertFilter, limit: shared.limit }} />
          <button type="submit">Filter jobs</button>
          <a href={withQuery(base, { ...alertFilter, limit: shared.limit })}>Clear</a>
        </form>
        <JobsTable jobs={jobs.items} />
        <div class="pager">
          {jobsCursor && <a href={withQuery(base, { ...shared, alertsCursor }, '#jobs-section')}>First page</a>}
          {jobs.nextCursor && <a id="jobs-next" href={withQuery(base, { ...shared, jobsCursor: jobs.nextCursor, alertsCursor }, '#jobs-section')}>Next page</a>}
        </div>

        <h2 id="alerts-section">Alerts</h2>
        <form class="filters" method="get" action={`${base}#alerts-section`} id="alert-filters">
          <Select name="alertStatus" label="Status" options={ALERT_STATUSES} value={alertFilter.alertStatus} anyLabel="Any" />
          <Select name="severity" label="Severity" options={SEVERITIES} value={alertFilter.severity} anyLabel="Any" />
          <Select name="scenario" label="Scenario" options={SCENARIOS} value={alertFilter.scenario} anyLabel="Any" />
          <Hidden values={{ ...jobFilter, limit: shared.limit }} />
          <button type="submit">Filter alerts</button>
          <a href={withQuery(base, { ...jobFilter, limit: shared.limit })}>Clear</a>
        </form>
        <AlertsTable vaultId={vault.id} alerts={alerts.items} back={here} />
        <div class="pager">
          {alertsCursor && <a href={withQuery(base, { ...shared, jobsCursor }, '#alerts-section')}>First page</a>}
          {alerts.nextCursor && <a id="alerts-next" href={withQuery(base, { ...shared, jobsCursor, alertsCursor: alerts.nextCursor }, '#alerts-section')}>Next page</a>}
        </div>
      </Layout>,
    );
  });
}
