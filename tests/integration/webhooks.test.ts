// Webhooks end to end: the real API, worker and dev server, and a real HTTP receiver that checks
// every signature with its own HMAC.
import { hostname } from 'node:os';
import { lookup } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookChannel } from '../../channels/webhook-http';
import { refusedUrl } from '../../channels/ssrf';
import { alertHistoryOf } from '../../readmodel/alert-history';
import { consoleSession } from '../support/console';
import { alertsOf, runJob } from '../support/jobs';
import { createVault, eventually, startStack, type Stack } from '../support/stack';
import { startWebhookReceiver, verifySignature } from '../support/webhook-receiver';

let stack: Stack;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
beforeAll(async () => {
  stack = await startStack();
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await stack?.close();
  await receiver?.stop();
});

let counter = 0;
async function addWebhook(vaultId: string, body: Record<string, unknown> = {}) {
  const path = `/hook-${++counter}`;
  const created = await stack.api('POST', `/v1/vaults/${vaultId}/webhooks`, { url: receiver.url(path), ...body });
  expect(created.status).toBe(201);
  return { path, id: created.body.id as string, secret: created.body.secret as string, body: created.body };
}
const deliveriesOf = async (vaultId: string, query = '') => (await stack.api('GET', `/v1/vaults/${vaultId}/deliveries?${query}`)).body.items as any[];

describe('webhook routes', () => {
  it('creates with a secret shown once, lists and reads without it, deletes with 204; all audited', async () => {
    const vaultId = await createVault(stack);
    const hook = await addWebhook(vaultId, { description: 'pager relay', minSeverity: 'Warning' });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(hook.secret.slice(6), 'base64')).toHaveLength(32);
    expect(hook.body).toMatchObject({
      url: receiver.url(hook.path), format: 'standard', events: ['alert.raised', 'alert.resolved'], minSeverity: 'Warning',
      description: 'pager relay', enabled: true, createdBy: 'admin',
    });
    const listed = await stack.api('GET', `/v1/vaults/${vaultId}/webhooks`);
    expect(listed.body.items).toHaveLength(1);
    const { secret: _secret, ...withoutSecret } = hook.body;
    expect(listed.body.items[0]).toEqual(withoutSecret);
    expect(JSON.stringify(listed.body)).not.toContain(hook.secret.slice(6));
    const one = await stack.api('GET', `/v1/vaults/${vaultId}/webhooks/${hook.id}`);
    expect(one.body).toEqual(withoutSecret);

    expect((await stack.api('DELETE', `/v1/vaults/${vaultId}/webhooks/${hook.id}`)).status).toBe(204);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/webhooks/${hook.id}`)).status).toBe(404);
    expect((await stack.api('DELETE', `/v1/vaults/${vaultId}/webhooks/${hook.id}`)).status).toBe(404);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/webhooks`)).body.items).toEqual([]);
    const audit = await stack.sql`select action, target, principal from audit where vault_id = ${vaultId} order by id`;
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
    const vaultId = await createVault(stack);
    const response = await stack.api('POST', `/v1/vaults/${vaultId}/webhooks`, { url });
    expect(response.status).toBe(400);
    expect(response.contentType).toContain('application/problem+json');
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/webhooks`)).body.items).toEqual([]);
  });

  it('refuses loopback and private targets unless private networks are allowed', () => {
    const strict = { allowPrivateNetworks: false };
    for (const url of ['http://127.0.0.1:8080/', 'http://10.1.2.3/', 'http://192.168.0.1/', 'http://[::1]/', 'http://localhost/', 'http://[::ffff:10.0.0.1]/']) {
      expect(refusedUrl(url, strict)).not.toBeNull();
      expect(refusedUrl(url, { allowPrivateNetworks: true })).toBeNull();
    }
    expect(refusedUrl('http://169.254.169.254/', { allowPrivateNetworks: true })).toMatch(/link-local/);
    expect(refusedUrl('https://hooks.slack.com/services/T/B/X', strict)).toBeNull();
  });

  it('checks the resolved address at delivery time: a host name resolving to loopback is refused', async () => {
    const name = hostname();
    const resolved = await lookup(name).catch(() => null);
    if (!resolved || !/^127\.|^::1$/.test(resolved.address)) return; // this machine's name is not a loopback alias
    const channel = createWebhookChannel({ allowPrivateNetworks: false, timeoutMs: 2_000 });
    const before = receiver.calls.length;
    const outcome = await channel.send({
      id: 'a9c1d2e3-0000-4000-8000-000000000001', channel: 'webhook', target: `http://${name}:${receiver.port}/resolved`,
      payload: { body: '{}' }, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    });
    expect(outcome).toMatchObject({ outcome: 'failed' });
    expect((outcome as { reason: string }).reason).toMatch(/resolves to a refused address/);
    expect(receiver.calls.length).toBe(before);
  });
});

describe('the webhook channel', () => {
  const send = (target: string, timeoutMs = 300) => createWebhookChannel({ allowPrivateNetworks: true, timeoutMs }).send({
    id: 'a9c1d2e3-0000-4000-8000-000000000002', channel: 'webhook', target, payload: { body: '{}' }, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  });

  it('a hanging or trickling endpoint is a retry after the timeout; a refused connection too', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => {
      res.writeHead(200);
      const drip = setInterval(() => res.write('.'), 50); // headers sent, body never ends
      res.on('close', () => clearInterval(drip));
    });
    const hanging = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      expect(await send(`http://127.0.0.1:${(hanging.address() as { port: number }).port}/`)).toMatchObject({ outcome: 'retry', error: expect.stringMatching(/no answer within 300 ms/) });
      expect(Date.now() - started).toBeLessThan(2_000);
      // 2xx headers count as delivered; the body does not matter.
      expect(await send(`http://127.0.0.1:${(server.address() as { port: number }).port}/`)).toEqual({ outcome: 'delivered' });
      expect(await send('http://127.0.0.1:1/')).toMatchObject({ outcome: 'retry', error: expect.stringMatching(/network error/) });
    } finally {
      server.closeAllConnections();
      hanging.closeAllConnections();
      server.close();
      hanging.close();
    }
  });

  it('429 with Retry-After asks for that delay', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => res.writeHead(429, { 'retry-after': '7' }).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      expect(await send(`http://127.0.0.1:${(server.address() as { port: number }).port}/`)).toEqual({ outcome: 'retry', error: 'HTTP 429 from the endpoint', afterMs: 7_000 });
    } finally {
      server.close();
    }
  });
});

describe('webhook deliveries', () => {
  it('500, 500, 200: the event arrives three times under one webhook-id, each signed; the log says Delivered after 3', async () => {
    const vaultId = await createVault(stack);
    const hook = await addWebhook(vaultId);
    receiver.script(hook.path, [500, 500]);
    await runJob(stack, vaultId, { entityName: 'vm-hook' });
    const calls = await eventually(async () => (receiver.callsTo(hook.path).length >= 3 ? receiver.callsTo(hook.path) : null), 'three calls', 30_000);
    expect(calls.map((c) => c.answered)).toEqual([500, 500, 200]);
    expect(new Set(calls.map((c) => c.headers['webhook-id'])).size).toBe(1);
    for (const call of calls) expect(verifySignature(hook.secret, call)).toBe(true);
    expect(verifySignature(hook.secret, { ...calls[0]!, body: `${calls[0]!.body} ` })).toBe(false);
    expect(new Set(calls.map((c) => c.body)).size).toBe(1); // the first rendering, byte for byte

    const body = JSON.parse(calls[0]!.body);
    const [alert] = await alertsOf(stack, vaultId);
    expect(body).toEqual({ type: 'alert.raised', timestamp: alert.raisedAt, data: { alert } });
    const [delivery] = await eventually(async () => {
      const list = await deliveriesOf(vaultId, 'channel=webhook');
      return list[0]?.status === 'Delivered' ? list : null;
    }, 'Delivered in the log');
    expect(delivery).toMatchObject({
      id: calls[0]!.headers['webhook-id'], channel: 'webhook', target: receiver.url(hook.path), event: 'alert.raised',
      alertId: alert.id, status: 'Delivered', attempts: 3, lastError: null,
    });
    expect(Object.keys(delivery).sort()).toEqual(['alertId', 'attempts', 'channel', 'createdAt', 'deliveredAt', 'event', 'id', 'lastAttemptAt', 'lastError', 'status', 'target']);
    // The history route is the lifecycle work's; the rows are read where it reads them.
    const history = await alertHistoryOf(stack.db, alert.id);
    expect(history).toContainEqual(expect.objectContaining({ action: 'Notified', channel: 'webhook', target: receiver.url(hook.path), deliveryId: delivery.id }));
    // Secrets never reach the delivery workflow's history.
    const workflow = await stack.client.workflow.getHandle(`delivery/${delivery.id}`).fetchHistory();
    expect(JSON.stringify(workflow)).not.toContain(hook.secret.slice(6));
  }, 60_000);

  it('410 fails the delivery at once and disables the webhook; later alerts skip it', async () => {
    const vaultId = await createVault(stack);
    const hook = await addWebhook(vaultId);
    receiver.script(hook.path, [410]);
    await runJob(stack, vaultId, { entityName: 'vm-gone' });
    await eventually(async () => (await deliveriesOf(vaultId))[0]?.status === 'Failed', 'a failed delivery');
    const [delivery] = await deliveriesOf(vaultId);
    expect(delivery).toMatchObject({ status: 'Failed', attempts: 1 });
    expect(delivery.lastError).toMatch(/410/);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/webhooks/${hook.id}`)).body.enabled).toBe(false);
    await runJob(stack, vaultId, { entityName: 'vm-gone-2' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(receiver.callsTo(hook.path)).toHaveLength(1);
    expect(await deliveriesOf(vaultId)).toHaveLength(1);
  });

  it('another 4xx fails at once without a retry', async () => {
    const vaultId = await createVault(stack);
    const hook = await addWebhook(vaultId);
    receiver.script(hook.path, [400]);
    await runJob(stack, vaultId, { entityName: 'vm-bad-request' });
    await eventually(async () => (await deliveriesOf(vaultId))[0]?.status === 'Failed', 'a failed delivery');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(receiver.callsTo(hook.path)).toHaveLength(1);
    expect((await deliveriesOf(vaultId))[0]).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/HTTP 400/) });
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/webhooks/${hook.id}`)).body.enabled).toBe(true);
  });

  it('filters by event and floor: a Warning skips a Critical-only webhook; acknowledged is opt-in', async () => {
    const vaultId = await createVault(stack);
    const critical = await addWebhook(vaultId, { minSeverity: 'Critical' });
    const all = await addWebhook(vaultId, { events: ['alert.raised'] });
    await runJob(stack, vaultId, { workloadType: 'MAB', entityName: 'server-warn', outcome: { status: 'CompletedWithWarnings' } });
    await eventually(async () => receiver.callsTo(all.path).length === 1, 'the unfiltered webhook');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(receiver.callsTo(critical.path)).toHaveLength(0);
  });

  it('test event: 202 with a delivery id, a signed test body; Slack and Teams shapes', async () => {
    const vaultId = await createVault(stack);
    const standard = await addWebhook(vaultId);
    const slack = await addWebhook(vaultId, { format: 'slack' });
    const teams = await addWebhook(vaultId, { format: 'teams' });
    const answer = await stack.api('POST', `/v1/vaults/${vaultId}/webhooks/${standard.id}/test`);
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ deliveryId: expect.any(String) });
    const [call] = await eventually(async () => (receiver.callsTo(standard.path).length ? receiver.callsTo(standard.path) : null), 'the test event');
    expect(call!.headers['webhook-id']).toBe(answer.body.deliveryId);
    expect(verifySignature(standard.secret, call!)).toBe(true);
    expect(JSON.parse(call!.body)).toMatchObject({ type: 'test', timestamp: expect.stringMatching(/Z$/) });
    // The receiver answers before the worker records the outcome: the log says Delivered a moment later.
    await eventually(async () => (await deliveriesOf(vaultId, 'status=Delivered')).some((d) => d.id === answer.body.deliveryId) || null, 'the test delivery logged Delivered');

    await runJob(stack, vaultId, { entityName: 'vm-<chat>' });
    const [slackCall] = await eventually(async () => (receiver.callsTo(slack.path).length ? receiver.callsTo(slack.path) : null), 'slack');
    const [teamsCall] = await eventually(async () => (receiver.callsTo(teams.path).length ? receiver.callsTo(teams.path) : null), 'teams');
    const slackBody = JSON.parse(slackCall!.body);
    expect(slackBody.text).toContain('vm-&lt;chat&gt;');
    expect(slackBody.blocks.map((b: { type: string }) => b.type)).toEqual(['header', 'section', 'section', 'actions']);
    expect(slackBody.blocks[3].elements[0].url).toMatch(/^https:\/\/monitor\.example\.com\/.+\/alerts\//);
    const teamsBody = JSON.parse(teamsCall!.body);
    expect(teamsBody.type).toBe('message');
    expect(teamsBody.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(teamsBody.attachments[0].content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(teamsBody.attachments[0].content.body[0].text).toContain('BackupFailure');
    expect(verifySignature(slack.secret, slackCall!)).toBe(true);
    expect(verifySignature(teams.secret, teamsCall!)).toBe(true);
  });

  it('lists deliveries newest first with filters and a cursor', async () => {
    const vaultId = await createVault(stack);
    await addWebhook(vaultId);
    await runJob(stack, vaultId, { entityName: 'vm-a' });
    await runJob(stack, vaultId, { entityName: 'vm-b' });
    await runJob(stack, vaultId, { entityName: 'vm-c' });
    await eventually(async () => (await deliveriesOf(vaultId, 'status=Delivered')).length === 3, 'three delivered');
    const alerts = await alertsOf(stack, vaultId);
    const first = await stack.api('GET', `/v1/vaults/${vaultId}/deliveries?limit=2`);
    expect(first.body.items).toHaveLength(2);
    const second = await stack.api('GET', `/v1/vaults/${vaultId}/deliveries?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ nextCursor: null });
    const all = [...first.body.items, ...second.body.items];
    expect(all.map((d: { alertId: string }) => d.alertId)).toEqual(alerts.map((a) => a.id)); // both newest first
    expect((await deliveriesOf(vaultId, `alertId=${alerts[1].id}`)).map((d) => d.alertId)).toEqual([alerts[1].id]);
    expect(await deliveriesOf(vaultId, 'channel=email')).toEqual([]);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/deliveries?status=Sent`)).status).toBe(400);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/deliveries?cursor=bogus`)).status).toBe(400);
  });
});

describe('console pages', () => {
  let session: Awaited<ReturnType<typeof consoleSession>>;
  beforeAll(async () => { session = await consoleSession(stack); });
  const form = (path: string, fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
    return session.page(path, { method: 'POST', body, headers: { origin: stack.baseUrl, 'content-type': 'application/x-www-form-urlencoded' } });
  };

  it('adds a webhook showing its secret once, sends a test, lists deliveries and deletes', async () => {
    const vaultId = await createVault(stack);
    const path = `/hook-console-${++counter}`;
    const added = await form(`/console/vaults/${vaultId}/webhooks`, { url: receiver.url(path), format: 'slack', minSeverity: 'Warning', events: ['alert.raised', 'alert.acknowledged'] });
    expect(added.status).toBe(201);
    const secret = /whsec_[A-Za-z0-9+/=]+/.exec(added.html)?.[0];
    expect(secret).toBeDefined();
    const [hook] = (await stack.api('GET', `/v1/vaults/${vaultId}/webhooks`)).body.items;
    expect(hook).toMatchObject({ url: receiver.url(path), format: 'slack', minSeverity: 'Warning', events: ['alert.raised', 'alert.acknowledged'] });
    const page = (await session.page(`/console/vaults/${vaultId}/webhooks`)).html;
    expect(page).toContain(receiver.url(path));
    expect(page).not.toContain(secret!);

    expect((await form(`/console/vaults/${vaultId}/webhooks/${hook.id}/test`, {})).status).toBe(303);
    const [call] = await eventually(async () => (receiver.callsTo(path).length ? receiver.callsTo(path) : null), 'the test event');
    expect(verifySignature(secret!, call!)).toBe(true);
    await eventually(async () => (await deliveriesOf(vaultId))[0]?.status === 'Delivered', 'delivered');
    const log = (await session.page(`/console/vaults/${vaultId}/deliveries?channel=webhook`)).html;
    expect(log).toContain('Delivered');
    expect(log).toContain(receiver.url(path));

    const refused = await form(`/console/vaults/${vaultId}/webhooks`, { url: 'http://169.254.169.254/' });
    expect(refused.status).toBe(422);
    expect((await form(`/console/vaults/${vaultId}/webhooks/${hook.id}/delete`, {})).status).toBe(303);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/webhooks`)).body.items).toEqual([]);
  });
});
