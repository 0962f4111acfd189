/** @jsxImportSource hono/jsx */
import type { Context, Hono } from 'hono';
import type { AppDeps, AppEnv } from '../deps';
import { requireVault } from '../routes/shared';
import { Live } from './components';
import { flashText, vaultPath } from './forms';
import { Layout, VaultTabs } from './layout';
import { AlertsSection, JobsSection, jobFilterOf } from './list-sections';
import { LIVE_SECTIONS, Overview, renderSection } from './overview';
import { withQuery } from './query';
import { listVaults } from './read';
import { requireConsolePrincipal } from './session';

/** `?refresh=N` (2–300 s) changes how often live sections refresh; tests use a few seconds. */
const refreshOf = (value: string | undefined) => {
  const n = Number(value);
  return Number.isInteger(n) && n >= 2 && n <= 300 ? n : 15;
};

export function registerVaultPages(app: Hono<AppEnv>, deps: AppDeps) {
  app.get('/', async (c) => {
    const after = c.req.query('after') || undefined;
    const search = c.req.query('q')?.trim().slice(0, 128) || undefined;
    const { items, nextAfter } = await listVaults(deps.db, { after, search, scope: requireConsolePrincipal(c).vaults });
    return c.html(
      <Layout title="Vaults">
        <h1>Vaults</h1>
        <form class="filters" method="get" action="/console" id="vault-search">
          <label>Find a vault (id or name)<input type="search" name="q" value={search ?? ''} /></label>
          <button type="submit">Search</button>
          {search && <a href="/console">Clear</a>}
        </form>
        <table id="vaults">
          <colgroup><col style="width:22%" /><col /><col style="width:22%" /><col style="width:120px" /><col style="width:110px" /><col style="width:120px" /></colgroup>
          <thead><tr><th>Vault</th><th>Name</th><th>Subscription</th><th class="num">Active Critical</th><th class="num">Active alerts</th><th><span class="sr">Settings</span></th></tr></thead>
          <tbody>
            {items.length === 0 && <tr><td class="empty" colspan={6}>{search ? 'No vault matches this search.' : 'No vaults yet: create one with PUT /v1/vaults/{vaultId}.'}</td></tr>}
            {items.map((vault) => (
              <tr data-vault-id={vault.id}>
                <td><a class="trunc" title={vault.id} href={vaultPath(vault.id)}>{vault.id}</a></td>
                <td><span class="trunc" title={vault.name ?? ''}>{vault.name ?? ''}</span></td>
                <td><span class="trunc" title={vault.subscriptionId ?? ''}>{vault.subscriptionId ?? ''}</span></td>
                <td class="num">{vault.activeCritical}</td>
                <td class="num">{vault.activeTotal}</td>
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

  // The overview: open alerts first, the 14-day picture, then every job and alert, filterable.
  app.get('/vaults/:vaultId', async (c) => {
    const vault = await requireVault(deps, c.req.param('vaultId'));
    const q = (name: string) => c.req.query(name) || undefined;
    const base = vaultPath(vault.id);
    const jobFilter = jobFilterOf(q);
    const alertFilter = { alertStatus: q('alertStatus'), severity: q('severity'), scenario: q('scenario') };
    const here = withQuery(base, { ...jobFilter, ...alertFilter, limit: q('limit'), jobsCursor: q('jobsCursor'), alertsCursor: q('alertsCursor') });
    const now = deps.now?.() ?? new Date();
    const [overview, jobsSection, alertsSection] = await Promise.all([
      Overview({ db: deps.db, vaultId: vault.id, now, base, refreshSeconds: refreshOf(q('refresh')) }),
      JobsSection({ db: deps.db, vaultId: vault.id, base, q, hash: '#jobs-section', carry: { ...alertFilter, alertsCursor: q('alertsCursor') } }),
      AlertsSection({
        db: deps.db, vaultId: vault.id, base, q, back: here, hash: '#alerts-section', names: { status: 'alertStatus', cursor: 'alertsCursor' },
        carry: { ...jobFilter, jobsCursor: q('jobsCursor') },
      }),
    ]);
    return c.html(
      <Layout title={vault.name ?? vault.id} flash={flashText(q('flash'))} crumbs={[{ label: 'Vaults', href: '/console' }, { label: vault.id }]}>
        <h1>{vault.name ?? vault.id}</h1>
        <p class="muted">
          Vault <code>{vault.id}</code>{vault.subscriptionId && <> · subscription <code>{vault.subscriptionId}</code></>} · <a href={`${base}/settings`}>Notification settings</a> · <a href={`${base}/items`} id="items-link">Protected items</a> · <a href={`${base}/webhooks`}>Webhooks</a> · <a href={`${base}/deliveries`}>Delivery log</a>
        </p>
        <VaultTabs base={base} current="overview" />
        {overview}
        <h2 id="alerts-section">All alerts</h2>
        {alertsSection}
        <h2 id="jobs-section">All jobs</h2>
        {jobsSection}
      </Layout>,
    );
  });

  // A live section alone, for the console script to swap in place (no layout, no full reload).
  app.get('/vaults/:vaultId/live/:section', async (c) => {
    const vault = await requireVault(deps, c.req.param('vaultId'));
    const name = LIVE_SECTIONS.find((s) => s === c.req.param('section'));
    if (!name) return c.html(<p>Unknown section.</p>, 404);
    c.header('x-console-fragment', '1');
    return c.html(<>{await renderSection(name, deps.db, vault.id, deps.now?.() ?? new Date(), vaultPath(vault.id))}</>);
  });

  // The list pages refresh themselves too: `?fragment=1` answers the list alone, for the script.
  async function listPage(c: Context<AppEnv>, page: 'alerts' | 'jobs') {
    const vault = await requireVault(deps, c.req.param('vaultId') ?? '');
    const q = (name: string) => c.req.query(name) || undefined;
    const base = `${vaultPath(vault.id)}/${page}`;
    const names = page === 'alerts' ? ['status', 'severity', 'scenario', 'from', 'to', 'cursor', 'limit'] : ['jobStatus', 'operation', 'workloadType', 'jobsCursor', 'limit'];
    const query = Object.fromEntries(names.map((name) => [name, q(name)]));
    const here = withQuery(base, query);
    const section = page === 'alerts'
      ? await AlertsSection({ db: deps.db, vaultId: vault.id, base, q, back: here })
      : await JobsSection({ db: deps.db, vaultId: vault.id, base, q });
    if (q('fragment') === '1') {
      c.header('x-console-fragment', '1');
      return c.html(<>{section}</>);
    }
    const title = page === 'alerts' ? 'Alerts' : 'Jobs';
    return c.html(
      <Layout title={`${title} · ${vault.name ?? vault.id}`} flash={flashText(q('flash'))} crumbs={[{ label: 'Vaults', href: '/console' }, { label: vault.id, href: vaultPath(vault.id) }, { label: title }]}>
        <h1>{title} of {vault.name ?? vault.id}</h1>
        <VaultTabs base={vaultPath(vault.id)} current={page} />
        <Live id={`live-${page}`} src={withQuery(base, { ...query, fragment: '1' })} every={refreshOf(q('refresh'))}>{section}</Live>
      </Layout>,
    );
  }
  app.get('/vaults/:vaultId/alerts', (c) => listPage(c, 'alerts'));
  app.get('/vaults/:vaultId/jobs', (c) => listPage(c, 'jobs'));
}
