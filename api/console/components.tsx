/** @jsxImportSource hono/jsx */
// Generic pieces every console page shares (other pages reuse them: keep them free of page logic).
import type { Child } from 'hono/jsx';
import type { Job } from '../../domain/types';
import { isOpenStatus, SEVERITIES, type Severity } from '../../domain/types';
import type { AlertView } from '../../readmodel/alerts';
import { alertPath } from './forms';
import { Allowed } from './session';

export const Badge = (props: { value: string }) => <span class={`badge ${props.value}`}>{props.value}</span>;

/** `2026-12-01 19:40:00 UTC`: the full time, shown on hover. */
export const utcText = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC');

/** "just now", "4 min ago", "3 h ago", "2 d ago", then the date; the console script keeps it current. */
export function relativeTime(iso: string, now = Date.now()): string {
  const s = Math.round((now - Date.parse(iso)) / 1000);
  const a = Math.abs(s);
  const f = (n: number, unit: string) => (s >= 0 ? `${n} ${unit} ago` : `in ${n} ${unit}`);
  if (a < 45) return s >= 0 ? 'just now' : 'in a moment';
  if (a < 3600) return f(Math.max(1, Math.round(a / 60)), 'min');
  if (a < 86_400) return f(Math.round(a / 3600), 'h');
  if (a < 7 * 86_400) return f(Math.round(a / 86_400), 'd');
  return iso.slice(0, 10);
}

/** A compact relative time with the exact UTC time in `title` and `datetime`. */
export function Time(props: { iso: string | null; absolute?: boolean }) {
  if (!props.iso) return <span class="muted">—</span>;
  if (props.absolute) return <time datetime={props.iso} title={utcText(props.iso)}>{utcText(props.iso)}</time>;
  return <time datetime={props.iso} title={utcText(props.iso)} data-rel="">{relativeTime(props.iso)}</time>;
}

/** One line, cut with an ellipsis; the whole text on hover (and always to screen readers). */
export const Truncate = (props: { text: string }) => <span class="trunc" title={props.text}>{props.text}</span>;

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${ms} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${seconds % 60} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * A section that refreshes itself in place while the page is open: the console script fetches
 * `src` (an HTML fragment of the same content) every `every` seconds.
 */
export const Live = (props: { id: string; src: string; every?: number; children?: Child }) => (
  <div id={props.id} data-live={props.src} data-every={String(props.every ?? 15)} aria-live="polite">{props.children}</div>
);

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

export function SeverityTiles(props: { counts: Record<Severity, number>; link: (severity: Severity) => string; label?: string }) {
  return (
    <div class="tiles">
      {SEVERITIES.map((severity) => (
        <a class={`tile ${severity}`} href={props.link(severity)} data-severity={severity}>
          <div class="count" data-testid={`tile-${severity}`}>{props.counts[severity]}</div>
          <div class="label">{props.label ?? 'Open'} {severity}</div>
        </a>
      ))}
    </div>
  );
}

/** Column widths, so that fixed-layout tables fit the page and long names get the rest. */
export const Cols = (props: { widths: (string | null)[] }) => (
  <colgroup>{props.widths.map((w) => (w ? <col class={w} /> : <col />))}</colgroup>
);

export function JobsTable(props: { jobs: Job[]; empty?: string; id?: string }) {
  return (
    <table id={props.id ?? 'jobs'}>
      <Cols widths={['w-time', null, 'w-wl', 'w-op', 'w-trig', 'w-status', 'w-num', null]} />
      <thead>
        <tr><th>Started</th><th>Item</th><th>Workload</th><th>Operation</th><th>Trigger</th><th>Status</th><th class="num">Duration</th><th>Error</th></tr>
      </thead>
      <tbody>
        {props.jobs.length === 0 && <tr><td class="empty" colspan={8}>{props.empty ?? 'No jobs match these filters.'}</td></tr>}
        {props.jobs.map((job) => (
          <tr data-job-id={job.id}>
            <td><Time iso={job.startedAt} /></td>
            <td><Truncate text={job.entityName} /></td>
            <td>{job.workloadType}</td>
            <td><Truncate text={job.operation} /></td>
            <td>{job.trigger}</td>
            <td><Badge value={job.status} /></td>
            <td class="num">{formatDuration(job.durationMs)}</td>
            <td><Truncate text={job.errorCode ?? ''} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A POST form, so an inactivation can never be triggered by following or prefetching a link. */
export function InactivateButton(props: { vaultId: string; alertId: string; back: string; label?: string }) {
  return (
    // Shown only to a role that may inactivate (Operator and up); the POST is checked again.
    <Allowed route="POST /v1/vaults/{vaultId}/alerts/{alertId}/inactivate" vaultId={props.vaultId}>
      <form class="inline" method="post" action={`${alertPath(props.vaultId, props.alertId)}/inactivate`}>
        <input type="hidden" name="back" value={props.back} />
        <button type="submit" class="danger">{props.label ?? 'Inactivate'}</button>
      </form>
    </Allowed>
  );
}

/** What a row of an open alert offers; the lifecycle pages may pass their own (acknowledge first). */
export type AlertActions = (alert: AlertView, back: string) => Child;
export const defaultAlertActions: AlertActions = (alert, back) =>
  isOpenStatus(alert.status) ? <InactivateButton vaultId={alert.vaultId} alertId={alert.id} back={back} /> : null;

export function AlertsTable(props: { vaultId: string; alerts: AlertView[]; back: string; id?: string; empty?: string; actions?: AlertActions }) {
  const actions = props.actions ?? defaultAlertActions;
  return (
    <table id={props.id ?? 'alerts'}>
      <Cols widths={['w-time', 'w-sev', null, null, 'w-wl', 'w-occ', 'w-status', 'w-act']} />
      <thead>
        <tr><th>Raised</th><th>Severity</th><th>Scenario</th><th>Item</th><th>Workload</th><th class="num">Occurrences</th><th>Status</th><th><span class="sr">Actions</span></th></tr>
      </thead>
      <tbody>
        {props.alerts.length === 0 && <tr><td class="empty" colspan={8}>{props.empty ?? 'No alerts match these filters.'}</td></tr>}
        {props.alerts.map((alert) => (
          <tr data-alert-id={alert.id}>
            <td><a href={alertPath(props.vaultId, alert.id)}><Time iso={alert.raisedAt} /></a></td>
            <td><Badge value={alert.severity} /></td>
            <td><a class="trunc" title={alert.scenario} href={alertPath(props.vaultId, alert.id)}>{alert.scenario}</a></td>
            <td><Truncate text={alert.entityName} /></td>
            <td>{alert.workloadType}</td>
            <td class="num">{alert.occurrences}</td>
            <td><Badge value={alert.status} /></td>
            <td>{actions(alert, props.back)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
