/** @jsxImportSource hono/jsx */
import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { inactivateAlert } from '../commands/alerts';
import { actorName, type AppDeps, type AppEnv } from '../deps';
import { notFound } from '../problem';
import { findAlert, type AlertView } from '../../readmodel/alerts';
import { requireVault } from '../routes/shared';
import { AlertParams } from '../schemas';
import { Badge, InactivateButton, Time } from './components';
import { alertPath, backTo, flashText, vaultPath } from './forms';
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
    ['Inactivated', <Time iso={alert.inactivatedAt} />],
    ['Inactivated by', alert.inactivatedBy ?? '—'],
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
        {alert.status === 'Active'
          ? <InactivateButton vaultId={vaultId} alertId={alertId} back={here} />
          : <p class="muted">This alert is Inactive: it sends no further notifications.</p>}
        <p><a href={`${vaultPath(vaultId)}#alerts-section`}>Back to the vault</a></p>
      </Layout>,
    );
  });

  // Post/Redirect/Get: the browser lands on a GET page, so a reload never re-submits.
  app.post('/vaults/:vaultId/alerts/:alertId/inactivate', async (c) => {
    const { vaultId, alertId } = alertParams(c.req.param('vaultId'), c.req.param('alertId'));
    const form = await c.req.parseBody();
    await requireVault(deps, vaultId);
    await inactivateAlert(deps, vaultId, alertId, actorName(c.get('principal')));
    return c.redirect(backTo(vaultId, form.back, alertPath(vaultId, alertId), 'inactivated'), 303);
  });
}
