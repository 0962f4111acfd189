// Webhook routes end to end: create, read, list and delete through the API and the console, the
// secret shown once, each change audited, bad targets refused with a problem. The real API, worker
// and dev server, and a real HTTP receiver that checks every signature with its own HMAC. Deliveries
// are in webhooks-deliveries.test.ts, the channel's HTTP send in webhooks-channel.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../scripts/lib/webhook-receiver';
import { consoleSession } from '../support/console';
import { createVault, eventually } from '../support/stack';
import { useWebhookStack } from '../support/webhook-stack';

const web = useWebhookStack();
const { addWebhook, deliveriesOf } = web;

describe('webhook routes', () => {
  it('creates with a secret shown once, lists and reads without it, deletes with 204; all audited', async () => {
    const vaultId = await createVault(web.stack);
    const hook = await addWebhook(vaultId, { description: 'pager relay', minSeverity: 'Warning' });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(hook.secret.slice(6), 'base64')).toHaveLength(32);
    expect(hook.body).toMatchObject({
      url: web.receiver.url(hook.path), format: 'standard', events: ['alert.raised', 'alert.resolved'], minSeverity: 'Warning',
      description: 'pager relay', enabled: true, createdBy: 'admin',
    });
    const listed = await web.stack.api('GET', `/v1/vaults/${vaultId}/webhooks`);
    expect(listed.body.items).toHaveLength(1);
    const { secret: _secret, ...withoutSecret } = hook.body;
    expect(listed.body.items[0]).toEqual(withoutSecret);
    expect(JSON.stringify(listed.body)).not.toContain(hook.secret.slice(6));
    const one = await web.stack.api('GET', `/v1/vaults/${vaultId}/webhooks/${hook.id}`);
    expect(one.body).toEqual(withoutSecret);

    expect((await web.stack.api('DELETE', `/v1/vaults/${vaultId}/webhooks/${hook.id}`)).status).toBe(204);
    expect((await web.stack.api('GET', `/v1/vaults/${vaultId}/webhooks/${hook.id}`)).status).toBe(404);
    expect((await web.stack.api('DELETE', `/v1/vaults/${vaultId}/webhooks/${hook.id}`)).status).toBe(404);
    expect((await web.stack.api('GET', `/v1/vaults/${vaultId}/webhooks`)).body.items).toEqual([]);
    const audit = await web.stack.sql`select action, target, principal from audit where vault_id = ${vaultId} order by id`;
    expect(audit.filter((a) => a.action.startsWith('webhook.')).map((a) => a.action)).toEqual(['webhook.created', 'webhook.deleted']);
    expect(audit.filter((a) => a.action.startsWith("webhook.")).every((a) => a.target === `webhook/${hook.id}` && a.principal === "admin")).toBe(true);
  });

  it.each([
    ['a link-local address', 'http://169.254.169.254/latest/meta-data'],
    ['the EC2 IPv6 metadata address', 'http://[fd00:ec2::254]/'],
    ['an IPv6 link-local address', 'http://[fe80::1]/'],
    ['another scheme', 'ftp://hooks.example.com/x'],
    ['no URL at all', 'not a url'],
  ])('refuses %s with a 400 problem', async (_, url) => {
    const vaultId = await createVault(web.stack);
    const response = await web.stack.api('POST', `/v1/vaults/${vaultId}/webhooks`, { url });
    expect(response.status).toBe(400);
    expect(response.contentType).toContain('application/problem+json');
    expect((await web.stack.api('GET', `/v1/vaults/${vaultId}/webhooks`)).body.items).toEqual([]);
  });
});

describe('console pages', () => {
  let session: Awaited<ReturnType<typeof consoleSession>>;
  beforeAll(async () => { session = await consoleSession(web.stack); });
  const form = (path: string, fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
    return session.page(path, { method: 'POST', body, headers: { origin: web.stack.baseUrl, 'content-type': 'application/x-www-form-urlencoded' } });
  };

  it('adds a webhook showing its secret once, sends a test, lists deliveries and deletes', async () => {
    const vaultId = await createVault(web.stack);
    const path = '/hook-console';
    const added = await form(`/console/vaults/${vaultId}/webhooks`, { url: web.receiver.url(path), format: 'slack', minSeverity: 'Warning', events: ['alert.raised', 'alert.acknowledged'] });
    expect(added.status).toBe(201);
    const secret = /whsec_[A-Za-z0-9+/=]+/.exec(added.html)?.[0];
    expect(secret).toBeDefined();
    const [hook] = (await web.stack.api('GET', `/v1/vaults/${vaultId}/webhooks`)).body.items;
    expect(hook).toMatchObject({ url: web.receiver.url(path), format: 'slack', minSeverity: 'Warning', events: ['alert.raised', 'alert.acknowledged'] });
    const page = (await session.page(`/console/vaults/${vaultId}/webhooks`)).html;
    expect(page).toContain(web.receiver.url(path));
    expect(page).not.toContain(secret!);

    expect((await form(`/console/vaults/${vaultId}/webhooks/${hook.id}/test`, {})).status).toBe(303);
    const [call] = await eventually(async () => (web.receiver.callsTo(path).length ? web.receiver.callsTo(path) : null), 'the test event');
    expect(verifySignature(secret!, call!)).toBe(true);
    await eventually(async () => (await deliveriesOf(vaultId))[0]?.status === 'Delivered', 'delivered');
    const log = (await session.page(`/console/vaults/${vaultId}/deliveries?channel=webhook`)).html;
    expect(log).toContain('Delivered');
    expect(log).toContain(web.receiver.url(path));

    const refused = await form(`/console/vaults/${vaultId}/webhooks`, { url: 'http://169.254.169.254/' });
    expect(refused.status).toBe(422);
    expect((await form(`/console/vaults/${vaultId}/webhooks/${hook.id}/delete`, {})).status).toBe(303);
    expect((await web.stack.api('GET', `/v1/vaults/${vaultId}/webhooks`)).body.items).toEqual([]);
  });
});
