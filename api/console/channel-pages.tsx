/** @jsxImportSource hono/jsx */
// The console's webhooks (add, test, delete) and delivery log, over the same commands and reads
// as the JSON API.
import type { Hono } from 'hono';
import { DELIVERY_STATUSES, SEVERITIES, WEBHOOK_EVENTS, WEBHOOK_FORMATS, CHANNELS, type WebhookEvent } from '../../domain/types';
import { listDeliveries, listWebhooks, type WebhookView } from '../../readmodel/deliveries';
import { createWebhook, deleteWebhook, testWebhook } from '../commands/webhooks';
import { decodeCursor } from '../cursor';
import { actorName, type AppDeps, type AppEnv } from '../deps';
import { ProblemError } from '../problem';
import { requireVault } from '../routes/shared';
import { Badge, Hidden, Select, Time } from './components';
import { flashText, oneOf, pageSize, vaultPath } from './forms';
import { Allowed } from './session';
import { Layout } from './layout';

function WebhooksPage(props: { vaultId: string; hooks: WebhookView[]; flash?: string; errors?: string[]; secret?: { url: string; value: string } }) {
  const base = `${vaultPath(props.vaultId)}/webhooks`;
  return (
    <Layout title={`Webhooks · ${props.vaultId}`} flash={props.flash}
      crumbs={[{ label: 'Vaults', href: '/console' }, { label: props.vaultId, href: vaultPath(props.vaultId) }, { label: 'Webhooks' }]}>
      <h1>Webhooks</h1>
      {props.secret && (
        <div class="flash" role="status" id="webhook-secret">
          Signing secret of {props.secret.url}: <code>{props.secret.value}</code>. Copy it now: it is not shown again.
        </div>
      )}
      <table>
        <thead><tr><th>URL</th><th>Format</th><th>Events</th><th>Floor</th><th>State</th><th>Created</th><th></th></tr></thead>
        <tbody>
          {props.hooks.length === 0 && <tr><td colSpan={7} class="muted">No webhooks yet.</td></tr>}
          {props.hooks.map((hook) => (
            <tr>
              <td><code>{hook.url}</code>{hook.description && <div class="muted">{hook.description}</div>}</td>
              <td>{hook.format}</td>
              <td>{hook.events.join(', ')}</td>
              <td><Badge value={hook.minSeverity} /></td>
              <td>{hook.enabled ? 'enabled' : 'disabled'}</td>
              <td><Time iso={hook.createdAt} /> by {hook.createdBy}</td>
              <td>
                <Allowed route="POST /v1/vaults/{vaultId}/webhooks/{webhookId}/test" vaultId={props.vaultId}>
                  <form method="post" action={`${base}/${hook.id}/test`}><button type="submit">Send test</button></form>
                  <form method="post" action={`${base}/${hook.id}/delete`}><button type="submit">Delete</button></form>
                </Allowed>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Allowed route="POST /v1/vaults/{vaultId}/webhooks" vaultId={props.vaultId} otherwise={<p class="muted">Only an Admin adds webhooks.</p>}>
      <h2>Add a webhook</h2>
      <form class="settings" method="post" action={base} id="webhook-form">
        <label>URL (http or https)<input type="url" name="url" required /></label>
        <Select name="format" label="Format" options={WEBHOOK_FORMATS} value="standard" />
        <Select name="minSeverity" label="Severity floor" options={[...SEVERITIES].reverse()} value="Informational" />
        <fieldset>
          <legend>Events</legend>
          {WEBHOOK_EVENTS.filter((e) => e !== 'test').map((event) => (
            <label class="check"><input type="checkbox" name="events" value={event} checked={event !== 'alert.acknowledged'} /> {event}</label>
          ))}
        </fieldset>
        <label>Description<input type="text" name="description" maxlength={500} /></label>
        {props.errors && props.errors.length > 0 && (
          <div class="errors" role="alert">The webhook was not added:<ul>{props.errors.map((e) => <li>{e}</li>)}</ul></div>
        )}
        <div><button type="submit">Add webhook</button></div>
      </form>
      </Allowed>
      <p class="muted">Standard webhooks are signed (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature). See the <a href={`${vaultPath(props.vaultId)}/deliveries?channel=webhook`}>delivery log</a>.</p>
    </Layout>
  );
}

export function registerChannelPages(app: Hono<AppEnv>, deps: AppDeps) {
  app.get('/vaults/:vaultId/webhooks', async (c) => {
    const vault = await requireVault(deps, c.req.param('vaultId'));
    return c.html(<WebhooksPage vaultId={vault.id} hooks={await listWebhooks(deps.db, vault.id)} flash={flashText(c.req.query('flash'))} />);
  });

  app.post('/vaults/:vaultId/webhooks', async (c) => {
    const vault = await requireVault(deps, c.req.param('vaultId'));
    const body = await c.req.parseBody({ all: true });
    const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
    const events = ([body.events].flat().filter((e) => typeof e === 'string') as string[])
      .map((e) => oneOf(WEBHOOK_EVENTS, e)).filter((e): e is WebhookEvent => e !== undefined);
    try {
      const created = await createWebhook(deps, vault.id, {
        url: text('url'), format: oneOf(WEBHOOK_FORMATS, text('format')), minSeverity: oneOf(SEVERITIES, text('minSeverity')),
        events: events.length > 0 ? events : undefined, description: text('description') || null,
      }, actorName(c.get('principal')), c.get('requestId'));
      // Shown in this answer only: a redirect would have to carry the secret in a URL.
      return c.html(<WebhooksPage vaultId={vault.id} hooks={await listWebhooks(deps.db, vault.id)} secret={{ url: created.url, value: created.secret }} />, 201);
    } catch (error) {
      if (error instanceof ProblemError && error.status === 400) {
        return c.html(<WebhooksPage vaultId={vault.id} hooks={await listWebhooks(deps.db, vault.id)} errors={[error.detail]} />, 422);
      }
      throw error;
    }
  });

  app.post('/vaults/:vaultId/webhooks/:webhookId/test', async (c) => {
    const vault = await requireVault(deps, c.req.param('vaultId'));
    await testWebhook(deps, vault.id, c.req.param('webhookId'));
    return c.redirect(`${vaultPath(vault.id)}/webhooks?flash=webhook-tested`, 303);
  });

  app.post('/vaults/:vaultId/webhooks/:webhookId/delete', async (c) => {
    const vault = await requireVault(deps, c.req.param('vaultId'));
    await deleteWebhook(deps, vault.id, c.req.param('webhookId'), actorName(c.get('principal')), c.get('requestId'));
    return c.redirect(`${vaultPath(vault.id)}/webhooks?flash=webhook-deleted`, 303);
  });

  app.get('/vaults/:vaultId/deliveries', async (c) => {
    const vault = await requireVault(deps, c.req.param('vaultId'));
    const channel = oneOf(CHANNELS, c.req.query('channel'));
    const status = oneOf(DELIVERY_STATUSES, c.req.query('status'));
    const page = await listDeliveries(deps.db, vault.id, { channel, status, limit: pageSize(c.req.query('limit'), 50), cursor: decodeCursor(c.req.query('cursor')) });
    const next = page.nextCursor ? `?${new URLSearchParams({ ...(channel ? { channel } : {}), ...(status ? { status } : {}), cursor: page.nextCursor })}` : null;
    return c.html(
      <Layout title={`Delivery log · ${vault.id}`}
        crumbs={[{ label: 'Vaults', href: '/console' }, { label: vault.id, href: vaultPath(vault.id) }, { label: 'Delivery log' }]}>
        <h1>Delivery log</h1>
        <form method="get" class="filters">
          <Select name="channel" label="Channel" options={CHANNELS} value={channel} anyLabel="any" />
          <Select name="status" label="Status" options={DELIVERY_STATUSES} value={status} anyLabel="any" />
          <Hidden values={{}} />
          <button type="submit">Filter</button>
        </form>
        <table id="deliveries">
          <thead><tr><th>Created</th><th>Channel</th><th>Target</th><th>Event</th><th>Status</th><th>Attempts</th><th>Last error</th><th>Delivered</th></tr></thead>
          <tbody>
            {page.items.length === 0 && <tr><td colSpan={8} class="muted">Nothing delivered yet.</td></tr>}
            {page.items.map((d) => (
              <tr>
                <td><Time iso={d.createdAt} /></td><td>{d.channel}</td><td><code>{d.target}</code></td>
                <td>{d.event}{d.alertId && <> · <a href={`${vaultPath(vault.id)}/alerts/${d.alertId}`}>alert</a></>}</td>
                <td><Badge value={d.status} /></td><td>{d.attempts}</td><td>{d.lastError ?? ''}</td><td><Time iso={d.deliveredAt} /></td>
              </tr>
            ))}
          </tbody>
        </table>
        {next && <p><a href={next}>Older deliveries →</a></p>}
      </Layout>,
    );
  });
}
