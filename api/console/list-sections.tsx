/** @jsxImportSource hono/jsx */
// The filtered, paged jobs and alerts lists: shown on their own pages and, below the overview, on
// the vault page. Each reads its filters from the query string under the names it declares.
import { ALERT_STATUSES, JOB_STATUSES, OPEN_ALERT_STATUSES, OPERATIONS, SCENARIOS, SEVERITIES, WORKLOADS } from '../../domain/types';
import { UNMONITORED_WORKLOADS } from '../../domain/visibility';
import type { Database } from '../../db/client';
import { listAlerts } from '../../readmodel/alerts';
import { listJobs } from '../../readmodel/jobs';
import { decodeCursor } from '../cursor';
import { AlertsTable, Hidden, JobsTable, Select } from './components';
import { oneOf, pageSize } from './forms';
import { withQuery } from './query';

// DPM and MABS jobs are never listed (§2.1): offering them as a filter would only show empty tables.
export const VISIBLE_WORKLOADS = WORKLOADS.filter((workload) => !UNMONITORED_WORKLOADS.includes(workload));

type Query = (name: string) => string | undefined;
/** Keeps the other list's filters when one form is submitted or paged. */
type Carry = Record<string, string | undefined>;

export const jobFilterOf = (q: Query) => ({
  jobStatus: oneOf(JOB_STATUSES, q('jobStatus')), operation: oneOf(OPERATIONS, q('operation')), workloadType: oneOf(VISIBLE_WORKLOADS, q('workloadType')),
});

export async function JobsSection(props: { db: Database; vaultId: string; base: string; q: Query; carry?: Carry; hash?: string }) {
  const { q, base, carry = {}, hash = '' } = props;
  const limit = pageSize(q('limit'));
  const filter = jobFilterOf(q);
  const cursor = q('jobsCursor');
  const jobs = await listJobs(props.db, props.vaultId, { status: filter.jobStatus, operation: filter.operation, workloadType: filter.workloadType, limit, cursor: decodeCursor(cursor) });
  const shared = { ...carry, ...filter, limit: limit === 20 ? undefined : String(limit) };
  return (
    <>
      <form class="filters" method="get" action={`${base}${hash}`} id="job-filters">
        <Select name="jobStatus" label="Status" options={JOB_STATUSES} value={filter.jobStatus} anyLabel="Any" />
        <Select name="operation" label="Operation" options={OPERATIONS} value={filter.operation} anyLabel="Any" />
        <Select name="workloadType" label="Workload type" options={VISIBLE_WORKLOADS} value={filter.workloadType} anyLabel="Any" />
        <Hidden values={{ ...carry, limit: shared.limit }} />
        <button type="submit">Filter jobs</button>
        <a href={withQuery(base, { ...carry, limit: shared.limit })}>Clear</a>
      </form>
      <JobsTable jobs={jobs.items} />
      <div class="pager">
        {cursor && <a href={withQuery(base, shared, hash)}>First page</a>}
        {jobs.nextCursor && <a id="jobs-next" href={withQuery(base, { ...shared, jobsCursor: jobs.nextCursor }, hash)}>Next page</a>}
      </div>
    </>
  );
}

const STATUS_CHOICES = ['open', ...ALERT_STATUSES] as const;
// A link's time bounds; anything unreadable or outside what Postgres stores means "no bound".
const isoOrUndefined = (text: string | undefined) => {
  const at = text ? Date.parse(text) : Number.NaN;
  return at >= 0 && at <= Date.UTC(9999, 11, 31) ? new Date(at) : undefined;
};

/**
 * `names` maps each filter to its query parameter: the alerts page uses the API's names (`status`,
 * `from`, `to`, which email links carry), the overview its historical ones (`alertStatus`, …).
 */
export async function AlertsSection(props: {
  db: Database; vaultId: string; base: string; q: Query; back: string; carry?: Carry; hash?: string;
  names?: { status: string; cursor: string };
}) {
  const { q, base, carry = {}, hash = '' } = props;
  const names = props.names ?? { status: 'status', cursor: 'cursor' };
  const limit = pageSize(q('limit'));
  const status = oneOf(STATUS_CHOICES, q(names.status));
  const filter = { [names.status]: status, severity: oneOf(SEVERITIES, q('severity')), scenario: oneOf(SCENARIOS, q('scenario')) };
  const from = isoOrUndefined(q('from'));
  const to = isoOrUndefined(q('to'));
  const cursor = q(names.cursor);
  const alerts = await listAlerts(props.db, props.vaultId, {
    status: status === 'open' ? undefined : status, statuses: status === 'open' ? OPEN_ALERT_STATUSES : undefined,
    severity: filter.severity, scenario: filter.scenario, from, to, limit, cursor: decodeCursor(cursor),
  });
  const range = { from: from?.toISOString(), to: to?.toISOString() };
  const shared = { ...carry, ...filter, ...range, limit: limit === 20 ? undefined : String(limit) };
  return (
    <>
      <form class="filters" method="get" action={`${base}${hash}`} id="alert-filters">
        <label>
          Status
          <select name={names.status}>
            <option value="">Any</option>
            {STATUS_CHOICES.map((s) => <option value={s} selected={s === status}>{s === 'open' ? 'Open (Active or Acknowledged)' : s}</option>)}
          </select>
        </label>
        <Select name="severity" label="Severity" options={SEVERITIES} value={filter.severity} anyLabel="Any" />
        <Select name="scenario" label="Scenario" options={SCENARIOS} value={filter.scenario} anyLabel="Any" />
        <Hidden values={{ ...carry, ...range, limit: shared.limit }} />
        <button type="submit">Filter alerts</button>
        <a href={withQuery(base, { ...carry, limit: shared.limit })}>Clear</a>
      </form>
      {(from || to) && <p class="muted" id="alert-range">Raised {from ? `from ${from.toISOString()}` : ''} {to ? `until ${to.toISOString()}` : ''} (UTC)</p>}
      <AlertsTable vaultId={props.vaultId} alerts={alerts.items} back={props.back} />
      <div class="pager">
        {cursor && <a href={withQuery(base, shared, hash)}>First page</a>}
        {alerts.nextCursor && <a id="alerts-next" href={withQuery(base, { ...shared, [names.cursor]: alerts.nextCursor }, hash)}>Next page</a>}
      </div>
    </>
  );
}
