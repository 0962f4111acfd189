/** @jsxImportSource hono/jsx */
import type { Job } from '../../domain/types';
import { isOpenStatus, SEVERITIES, type Severity } from '../../domain/types';
import type { AlertView } from '../../readmodel/alerts';
import { alertPath } from './forms';

export const Badge = (props: { value: string }) => <span class={`badge ${props.value}`}>{props.value}</span>;

/** ISO timestamps shown as UTC, readable, with the exact value kept in the datetime attribute. */
export function Time(props: { iso: string | null }) {
  if (!props.iso) return <span class="muted">—</span>;
  return <time datetime={props.iso}>{props.iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC')}</time>;
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${ms} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${seconds % 60} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function Select(props: { name: string; label: string; options: readonly string[]; value: string | undefined; anyLabel?: string }) {
  return (
    <label>
      {props.label}
      <select name={props.name}>
        {props.anyLabel !== undefined && <option value="">{props.anyLabel}</option>}
        {props.options.map((option) => <option value={option} selected={option === props.value}>{option}</option>)}
      </select>
    </label>
  );
}

/** Hidden inputs that carry the other filters along when one form is submitted. */
export const Hidden = (props: { values: Record<string, string | undefined> }) => (
  <>{Object.entries(props.values).map(([name, value]) => value !== undefined && <input type="hidden" name={name} value={value} />)}</>
);

export function SeverityTiles(props: { counts: Record<Severity, number>; link: (severity: Severity) => string }) {
  return (
    <div class="tiles">
      {SEVERITIES.map((severity) => (
        <a class={`tile ${severity}`} href={props.link(severity)} data-severity={severity}>
          <div class="count" data-testid={`tile-${severity}`}>{props.counts[severity]}</div>
          <div class="label">Open {severity}</div>
        </a>
      ))}
    </div>
  );
}

export function JobsTable(props: { jobs: Job[] }) {
  return (
    <table id="jobs">
      <thead>
        <tr><th>Started</th><th>Item</th><th>Workload</th><th>Operation</th><th>Trigger</th><th>Status</th><th>Duration</th><th>Error</th></tr>
      </thead>
      <tbody>
        {props.jobs.length === 0 && <tr><td class="empty" colspan={8}>No jobs match these filters.</td></tr>}
        {props.jobs.map((job) => (
          <tr data-job-id={job.id}>
            <td><Time iso={job.startedAt} /></td>
            <td>{job.entityName}</td>
            <td>{job.workloadType}</td>
            <td>{job.operation}</td>
            <td>{job.trigger}</td>
            <td><Badge value={job.status} /></td>
            <td>{formatDuration(job.durationMs)}</td>
            <td>{job.errorCode ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A POST form, so an inactivation can never be triggered by following or prefetching a link. */
export function InactivateButton(props: { vaultId: string; alertId: string; back: string; label?: string }) {
  return (
    <form class="inline" method="post" action={`${alertPath(props.vaultId, props.alertId)}/inactivate`}>
      <input type="hidden" name="back" value={props.back} />
      <button type="submit" class="danger">{props.label ?? 'Inactivate'}</button>
    </form>
  );
}

export function AlertsTable(props: { vaultId: string; alerts: AlertView[]; back: string }) {
  return (
    <table id="alerts">
      <thead>
        <tr><th>Raised</th><th>Severity</th><th>Scenario</th><th>Item</th><th>Workload</th><th>Occurrences</th><th>Status</th><th></th></tr>
      </thead>
      <tbody>
        {props.alerts.length === 0 && <tr><td class="empty" colspan={8}>No alerts match these filters.</td></tr>}
        {props.alerts.map((alert) => (
          <tr data-alert-id={alert.id}>
            <td><a href={alertPath(props.vaultId, alert.id)}><Time iso={alert.raisedAt} /></a></td>
            <td><Badge value={alert.severity} /></td>
            <td><a href={alertPath(props.vaultId, alert.id)}>{alert.scenario}</a></td>
            <td>{alert.entityName}</td>
            <td>{alert.workloadType}</td>
            <td>{alert.occurrences}</td>
            <td><Badge value={alert.status} /></td>
            <td>{isOpenStatus(alert.status) && <InactivateButton vaultId={props.vaultId} alertId={alert.id} back={props.back} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
