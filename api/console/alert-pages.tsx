/** @jsxImportSource hono/jsx */
import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { acknowledgeAlert, inactivateAlert } from '../commands/alerts';
import { actorName, type AppDeps, type AppEnv } from '../deps';
import { notFound } from '../problem';
import { alertHistoryOf } from '../../readmodel/alert-history';
import { findAlert, type AlertView } from '../../readmodel/alerts';
import { requireVault } from '../routes/shared';
import { AlertParams } from '../schemas';
import { isOpenStatus } from '../../domain/types';
import { Badge, Time } from './components';
import { alertPath, backTo, flashText, vaultPath } from './forms';
import { Allowed } from './session';
import { Layout } from './layout';

/** The same id checks as the API; a malformed alert id is simply not an alert (and never reaches SQL). */
function alertParams(vaultId: string, alertId: string) {
  const parsed = AlertParams.safeParse({ vaultId, alertId });
  if (!parsed.success) throw notFound(`Alert ${alertId} in vault ${vaultId}`);
  return parsed.data;
}

function Fields(props: { alert: AlertView }) {
  const { alert } = props;
  const rows: [string, Child][] = [
    ['Alert id', <code>{alert.id}</code>],
    ['Status', <Badge value={alert.status} />],
    ['Severity', <Badge value={alert.severity} />],
    ['Scenario', alert.scenario],
    ['Protected item', alert.entityName],
    ['Workload type', alert.workloadType],
    ['Error code', alert.errorCode ?? '—'],
    ['Error message', alert.errorMessage ?? '—'],
    ['Occurrences', alert.occurrences],
    ['Raised', <Time iso={alert.raisedAt} />],
    ['Last occurred', <Time iso={alert.lastOccurredAt} />],
    ['First job', <code>{alert.jobId}</code>],
    ['Latest job', <code>{alert.latestJobId}</code>],
    ['Acknowledged', <Time iso={alert.acknowledgedAt} />],
    ['Acknowledged by', alert.acknowledgedBy ?? '—'],
    ['Inactivated', <Time iso={alert.inactivatedAt} />],
    ['Inactivated by', alert.inactivatedBy ?? '—'],
    ['Resolution', alert.resolution ?? '—'],
    ['Resolved by job', alert.resolvedByJobId ? <code>{alert.resolvedByJobId}</code> : '—'],
    ['Suppressed', alert.suppressed ? 'Yes: held back by a maintenance window' : 'No'],
  ];
  return (
    <dl id="alert-fields">
      {rows.map(([label, value]) => <><dt>{label}</dt><dd data-field={label}>{value}</dd></>)}
    </dl>
  );
}

export function registerAlertPages(app: Hono<AppEnv>, deps: AppDeps) {
  app.get('/vaults/:vaultId/alerts/:alertId', async (c) => {
    const { vaultId, alertId } = alertParams(c.req.param('vaultId'), c.req.param('alertId'));
    const vault = await requireVault(deps, vaultId);
    const alert = await findAlert(deps.db, vaultId, alertId);
    if (!alert) throw notFound(`Alert ${alertId} in vault ${vaultId}`);
    const here = alertPath(vaultId, alertId);
    return c.html(
      <Layout
        title={`${alert.scenario} on ${alert.entityName}`}
        flash={flashText(c.req.query('flash'))}
        crumbs={[{ label: 'Vaults', href: '/console' }, { label: vault.id, href: vaultPath(vault.id) }, { label: 'Alert' }]}
      >
        <h1>{alert.scenario} on {alert.entityName}</h1>
        <Fields alert={alert} />
        {isOpenStatus(alert.status)
          ? <AlertActions vaultId={vaultId} alert={alert} back={here} />
          : <p class="muted">This alert is Inactive: it sends no further notifications.</p>}
        <h2 id="history">History</h2>
        <Timeline entries={await alertHistoryOf(deps.db, alertId)} />
        <p><a href={`${vaultPath(vaultId)}#alerts-section`}>Back to the vault</a></p>
      </Layout>,
    );
  });

  // Post/Redirect/Get: the browser lands on a GET page, so a reload never re-submits.
  for (const [action, command, flash] of [['inactivate', inactivateAlert, 'inactivated'], ['acknowledge', acknowledgeAlert, 'acknowledged']] as const) {
    app.post(`/vaults/:vaultId/alerts/:alertId/${action}`, async (c) => {
      const { vaultId, alertId } = alertParams(c.req.param('vaultId'), c.req.param('alertId'));
      const form = await c.req.parseBody();
      const comment = typeof form.comment === 'string' ? form.comment.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g, '').trim().slice(0, 1000) : '';
      await requireVault(deps, vaultId);
      await command(deps, vaultId, alertId, { by: actorName(c.get('principal')), comment: comment || null, requestId: c.get('requestId') });
      return c.redirect(backTo(vaultId, form.back, alertPath(vaultId, alertId), flash), 303);
    });
  }
}

/** Acknowledge (while Active) and inactivate, each a POST form with an optional comment. */
function AlertActions(props: { vaultId: string; alert: AlertView; back: string }) {
  const { vaultId, alert, back } = props;
  const form = (action: 'acknowledge' | 'inactivate', label: string, danger: boolean) => (
    <form class="action" method="post" action={`${alertPath(vaultId, alert.id)}/${action}`} id={`${action}-form`}>
      <input type="hidden" name="back" value={back} />
      <label>Comment (optional)<input type="text" name="comment" maxlength={1000} size={50} /></label>
      <button type="submit" class={danger ? 'danger' : ''}>{label}</button>
    </form>
  );
  return (
    <Allowed route="POST /v1/vaults/{vaultId}/alerts/{alertId}/inactivate" vaultId={vaultId}>
      <div class="actions">
        {alert.status === 'Active' && form('acknowledge', 'Acknowledge', false)}
        {form('inactivate', 'Inactivate', true)}
      </div>
    </Allowed>
  );
}

const HISTORY_TEXT: Record<string, string> = {
  Raised: 'Raised', Occurred: 'Occurred again (consolidated)', Acknowledged: 'Acknowledged', Inactivated: 'Inactivated',
  AutoResolved: 'Auto-resolved', Suppressed: 'Suppressed by a maintenance window', Notified: 'Notified',
};

function Timeline(props: { entries: Record<string, string>[] }) {
  if (props.entries.length === 0) return <p class="muted">No history recorded for this alert.</p>;
  return (
    <ol class="timeline" id="alert-history">
      {props.entries.map((e) => (
        <li data-action={e.action}>
          <Time iso={e.at ?? null} /> · <strong>{HISTORY_TEXT[e.action!] ?? e.action}</strong> by {e.by}
          {e.jobId && <> · job <code>{e.jobId}</code></>}
          {e.channel && <> · {e.channel} to {e.target}</>}
          {e.silenceId && <> · silence <code>{e.silenceId}</code></>}
          {e.comment && <div class="comment">“{e.comment}”</div>}
        </li>
      ))}
    </ol>
  );
}
