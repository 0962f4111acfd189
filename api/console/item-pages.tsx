/** @jsxImportSource hono/jsx */
import type { Hono } from 'hono';
import { and, desc, eq } from 'drizzle-orm';
import { alerts, jobs } from '../../db/schema';
import { parseContractDuration } from '../../domain/duration';
import { isDisabledPolicy } from '../../domain/missed-backup';
import type { ItemPolicy } from '../../domain/model';
import { ITEM_HEALTHS, PROTECTION_STATES, WORKLOADS } from '../../domain/types';
import { alertFromRow } from '../../readmodel/alerts';
import { decodeItemCursor, findItemRow, itemFromRow, itemWatchFromRow, listItems, vaultBackupPolicy, type ItemKey } from '../../readmodel/items';
import { jobFromRow } from '../../readmodel/jobs';
import { changeItemPolicy } from '../commands/items';
import { actorName, type AppDeps, type AppEnv } from '../deps';
import { notFound } from '../problem';
import { requireVault } from '../routes/shared';
import { AlertsTable, Badge, JobsTable, Select, Time } from './components';
import { oneOf, vaultPath } from './forms';
import { Allowed } from './session';
import { Layout } from './layout';
import { withQuery } from './query';

/** The item's page: alert emails link here (PUBLIC_URL + this path). */
export const itemPath = (k: ItemKey) =>
  `${vaultPath(k.vaultId)}/items/${encodeURIComponent(k.workloadType)}/${encodeURIComponent(k.entityName)}`;

const HEALTH_STYLE: Record<string, string> = {
  Healthy: 'background:#e3f9e5;color:#0e5814', Unknown: 'background:#e4e7eb;color:#3e4c59',
  Critical: 'background:#ffe3e3;color:#a61b1b', Warning: 'background:#fff3c4;color:#8d6708',
};
const Health = (p: { value: string }) => <span class={`badge ${p.value}`} style={HEALTH_STYLE[p.value]} data-health={p.value}>{p.value}</span>;

type PolicyForm = { mode: string; expectedEvery: string; grace: string };

function PolicyFormView(p: { action: string; form: PolicyForm; vaultDefault: string; errors?: string[] }) {
  return (
    <form class="settings" method="post" action={p.action} id="policy-form" novalidate>
      {(['vault', 'item', 'disabled'] as const).map((mode) => (
        <label class="check">
          <input type="radio" name="mode" value={mode} checked={p.form.mode === mode} />
          {mode === 'vault' ? `The vault default (${p.vaultDefault})` : mode === 'item' ? 'Its own policy:' : 'No missed-backup watch for this item'}
        </label>
      ))}
      <label>Expected every (e.g. 24h, 90m, 7d)<input name="expectedEvery" value={p.form.expectedEvery} /></label>
      <label>Grace<input name="grace" value={p.form.grace} /></label>
      {p.errors && p.errors.length > 0 && <div class="errors" role="alert" id="policy-errors">The policy was not saved:<ul>{p.errors.map((e) => <li>{e}</li>)}</ul></div>}
      <div><button type="submit">Save policy</button></div>
    </form>
  );
}

export function registerItemPages(app: Hono<AppEnv>, deps: AppDeps) {
  app.get('/vaults/:vaultId/items', async (c) => {
    const vault = await requireVault(deps, c.req.param('vaultId'));
    const q = (name: string) => c.req.query(name) || undefined;
    const filter = { health: oneOf(ITEM_HEALTHS, q('health')), workloadType: oneOf(WORKLOADS, q('workloadType')), protection: oneOf(PROTECTION_STATES, q('protection')) };
    const cursorText = q('cursor');
    const page = await listItems(deps.db, vault.id, { ...filter, limit: 50, cursor: cursorText ? decodeItemCursor(cursorText) : null });
    const base = `${vaultPath(vault.id)}/items`;
    return c.html(
      <Layout title={`Items · ${vault.id}`} crumbs={[{ label: 'Vaults', href: '/console' }, { label: vault.id, href: vaultPath(vault.id) }, { label: 'Protected items' }]}>
        <h1>Protected items</h1>
        <p class="muted">Vault default backup policy: {vault.backupPolicy ? `every ${vault.backupPolicy.expectedEvery}, ${vault.backupPolicy.grace} grace` : 'none (no missed-backup watch unless an item has its own)'}</p>
        <form class="filters" method="get" action={base} id="item-filters">
          <Select name="health" label="Health" options={ITEM_HEALTHS} value={filter.health} anyLabel="Any" />
          <Select name="workloadType" label="Workload type" options={WORKLOADS} value={filter.workloadType} anyLabel="Any" />
          <Select name="protection" label="Protection" options={PROTECTION_STATES} value={filter.protection} anyLabel="Any" />
          <button type="submit">Filter items</button>
          <a href={base}>Clear</a>
        </form>
        <table id="items">
          <thead><tr><th>Workload</th><th>Item</th><th>Health</th><th>Protection</th><th>Last backup</th><th>Last success</th><th>Policy</th><th>Open alerts</th></tr></thead>
          <tbody>
            {page.items.length === 0 && <tr><td class="empty" colspan={8}>No items match these filters.</td></tr>}
            {page.items.map((item) => (
              <tr data-item={`${item.workloadType}/${item.entityName}`}>
                <td>{item.workloadType}</td>
                <td><a href={itemPath(item)}>{item.entityName}</a></td>
                <td><Health value={item.health} /></td>
                <td>{item.protection}</td>
                <td>{item.lastBackup ? <Badge value={item.lastBackup.status} /> : <span class="muted">—</span>}</td>
                <td><Time iso={item.lastSuccessfulBackupAt} /></td>
                <td>{item.policy ? `${item.policy.expectedEvery} + ${item.policy.grace} (${item.policy.source})` : <span class="muted">none</span>}</td>
                <td>{item.openAlerts.Critical + item.openAlerts.Warning + item.openAlerts.Informational}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div class="pager">
          {cursorText && <a href={withQuery(base, filter)}>First page</a>}
          {page.nextCursor && <a id="items-next" href={withQuery(base, { ...filter, cursor: page.nextCursor })}>Next page</a>}
        </div>
      </Layout>,
    );
  });

  const renderItem = async (key: ItemKey, opts: { flash?: string; form?: PolicyForm; errors?: string[] } = {}) => {
    const row = await findItemRow(deps.db, key);
    if (!row) throw notFound(`Item ${key.workloadType}/${key.entityName} in vault ${key.vaultId}`);
    const vaultPolicy = await vaultBackupPolicy(deps.db, key.vaultId);
    const item = itemFromRow(row, vaultPolicy);
    const watch = itemWatchFromRow(row);
    const where = (t: typeof jobs | typeof alerts) => and(eq(t.vaultId, key.vaultId), eq(t.workloadType, key.workloadType), eq(t.entityName, key.entityName));
    const [recentJobs, recentAlerts] = await Promise.all([
      deps.db.select().from(jobs).where(and(where(jobs), eq(jobs.listed, true))).orderBy(desc(jobs.startedAt)).limit(20),
      deps.db.select().from(alerts).where(where(alerts)).orderBy(desc(alerts.raisedAt)).limit(20),
    ]);
    const own = row.policy && !isDisabledPolicy(row.policy) ? row.policy : null;
    const form = opts.form ?? { mode: own ? 'item' : watch.optedOut ? 'disabled' : 'vault', expectedEvery: own?.expectedEvery ?? vaultPolicy?.expectedEvery ?? '24h', grace: own?.grace ?? vaultPolicy?.grace ?? '2h' };
    const here = itemPath(key);
    return (
      <Layout title={`${key.entityName} · ${key.vaultId}`} flash={opts.flash}
        crumbs={[{ label: 'Vaults', href: '/console' }, { label: key.vaultId, href: vaultPath(key.vaultId) }, { label: 'Protected items', href: `${vaultPath(key.vaultId)}/items` }, { label: key.entityName }]}>
        <h1>{key.entityName}</h1>
        <p class="muted">{key.workloadType} · <Health value={item.health} /> · {item.protection}</p>
        <table id="item-facts"><tbody>
          <tr><th>Last job</th><td><Time iso={item.lastJobAt} /></td></tr>
          <tr><th>Last backup</th><td>{item.lastBackup ? <><Badge value={item.lastBackup.status} /> <Time iso={item.lastBackup.endedAt} /></> : '—'}</td></tr>
          <tr><th>Last successful backup</th><td><Time iso={item.lastSuccessfulBackupAt} /></td></tr>
          <tr><th>Policy</th><td>{item.policy ? `every ${item.policy.expectedEvery}, ${item.policy.grace} grace (${item.policy.source === 'item' ? 'its own' : 'the vault default'})` : watch.optedOut ? 'watch turned off for this item' : 'none'}</td></tr>
          <tr><th>Watch</th><td id="item-deadline">{watch.deadlineAt ? <>next look at <Time iso={watch.deadlineAt} /></> : 'not watched'}</td></tr>
          <tr><th>Open alerts</th><td>{item.openAlerts.Critical} Critical, {item.openAlerts.Warning} Warning, {item.openAlerts.Informational} Informational</td></tr>
        </tbody></table>
        <h2>Backup policy</h2>
        <Allowed route="PUT /v1/vaults/{vaultId}/items/{workloadType}/{entityName}/policy" vaultId={key.vaultId} otherwise={<p>Only an Admin changes the policy.</p>}>
          <PolicyFormView action={`${here}/policy`} form={form} errors={opts.errors}
            vaultDefault={vaultPolicy ? `every ${vaultPolicy.expectedEvery}, ${vaultPolicy.grace} grace` : 'none'} />
        </Allowed>
        <h2>Recent jobs</h2>
        <JobsTable jobs={recentJobs.map(jobFromRow)} />
        <h2>Recent alerts</h2>
        <AlertsTable vaultId={key.vaultId} alerts={recentAlerts.map(alertFromRow)} back={here} />
      </Layout>
    );
  };

  const keyOf = (c: { req: { param(name: string): string } }): ItemKey => ({
    vaultId: c.req.param('vaultId'), workloadType: c.req.param('workloadType'), entityName: c.req.param('entityName'),
  });

  app.get('/vaults/:vaultId/items/:workloadType/:entityName', async (c) => {
    const key = keyOf(c);
    await requireVault(deps, key.vaultId);
    return c.html(await renderItem(key, { flash: c.req.query('saved') ? 'Backup policy saved.' : undefined }));
  });

  app.post('/vaults/:vaultId/items/:workloadType/:entityName/policy', async (c) => {
    const key = keyOf(c);
    await requireVault(deps, key.vaultId);
    const body = await c.req.parseBody();
    const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
    const form = { mode: text('mode'), expectedEvery: text('expectedEvery'), grace: text('grace') };
    const errors: string[] = [];
    let policy: ItemPolicy | null = null;
    if (form.mode === 'disabled') policy = { disabled: true };
    else if (form.mode === 'item') {
      for (const field of ['expectedEvery', 'grace'] as const) {
        if (parseContractDuration(form[field]) === null) errors.push(`${field} must be a duration such as 90s, 30m, 24h or 7d, between 1s and 90d.`);
      }
      policy = { expectedEvery: form.expectedEvery, grace: form.grace };
    } else if (form.mode !== 'vault') errors.push('Choose the vault default, its own policy, or no watch.');
    if (errors.length > 0) return c.html(await renderItem(key, { form, errors }), 422);
    await changeItemPolicy(deps, key, policy, { principal: actorName(c.get('principal')), requestId: c.get('requestId') });
    return c.redirect(`${itemPath(key)}?saved=1`, 303);
  });
}
