// Webhook deliveries end to end: retries under one webhook-id with every attempt signed, 410 and
// other 4xx answers, the event and severity filters, the test event, the Slack and Teams formats,
// and the delivery log. The real API, worker and dev server, and a real HTTP receiver that checks
// every signature with its own HMAC.
import { describe, expect, it } from 'vitest';
import { alertHistoryOf } from '../../readmodel/alert-history';
import { verifySignature } from '../../scripts/lib/webhook-receiver';
import { alertsOf, runJob } from '../support/jobs';
import { createVault, eventually } from '../support/stack';
import { useWebhookStack } from '../support/webhook-stack';

const web = useWebhookStack();
const { addWebhook, deliveriesOf } = web;

describe('webhook deliveries', () => {
  it('500, 500, 200: the event arrives three times under one webhook-id, each signed; the log says Delivered after 3', async () => {
    const vaultId = await createVault(web.stack);
    const hook = await addWebhook(vaultId);
    web.receiver.script(hook.path, [500, 500]);
    await runJob(web.stack, vaultId, { entityName: 'vm-hook' });
    const calls = await eventually(async () => (web.receiver.callsTo(hook.path).length >= 3 ? web.receiver.callsTo(hook.path) : null), 'three calls', 30_000);
    expect(calls.map((c) => c.answered)).toEqual([500, 500, 200]);
    expect(new Set(calls.map((c) => c.headers['webhook-id'])).size).toBe(1);
    for (const call of calls) expect(verifySignature(hook.secret, call)).toBe(true);
    expect(verifySignature(hook.secret, { ...calls[0]!, body: `${calls[0]!.body} ` })).toBe(false);
    expect(new Set(calls.map((c) => c.body)).size).toBe(1); // the first rendering, byte for byte

    const body = JSON.parse(calls[0]!.body);
    const [alert] = await alertsOf(web.stack, vaultId);
    expect(body).toEqual({ type: 'alert.raised', timestamp: alert.raisedAt, data: { alert } });
    const [delivery] = await eventually(async () => {
      const list = await deliveriesOf(vaultId, 'channel=webhook');
      return list[0]?.status === 'Delivered' ? list : null;
    }, 'Delivered in the log');
    expect(delivery).toMatchObject({
      id: calls[0]!.headers['webhook-id'], channel: 'webhook', target: web.receiver.url(hook.path), event: 'alert.raised',
      alertId: alert.id, status: 'Delivered', attempts: 3, lastError: null,
    });
    expect(Object.keys(delivery).sort()).toEqual(['alertId', 'attempts', 'channel', 'createdAt', 'deliveredAt', 'event', 'id', 'lastAttemptAt', 'lastError', 'status', 'target']);
    // The history route is the lifecycle work's; the rows are read where it reads them.
    const history = await alertHistoryOf(web.stack.db, alert.id);
    expect(history).toContainEqual(expect.objectContaining({ action: 'Notified', channel: 'webhook', target: web.receiver.url(hook.path), deliveryId: delivery.id }));
    // Secrets never reach the delivery workflow's history.
    const workflow = await web.stack.client.workflow.getHandle(`delivery/${delivery.id}`).fetchHistory();
    expect(JSON.stringify(workflow)).not.toContain(hook.secret.slice(6));
  }, 60_000);

  it('410 fails the delivery at once and disables the webhook; later alerts skip it', async () => {
    const vaultId = await createVault(web.stack);
    const hook = await addWebhook(vaultId);
    web.receiver.script(hook.path, [410]);
    await runJob(web.stack, vaultId, { entityName: 'vm-gone' });
    await eventually(async () => (await deliveriesOf(vaultId))[0]?.status === 'Failed', 'a failed delivery');
    const [delivery] = await deliveriesOf(vaultId);
    expect(delivery).toMatchObject({ status: 'Failed', attempts: 1 });
    expect(delivery.lastError).toMatch(/410/);
    expect((await web.stack.api('GET', `/v1/vaults/${vaultId}/webhooks/${hook.id}`)).body.enabled).toBe(false);
    await runJob(web.stack, vaultId, { entityName: 'vm-gone-2' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(web.receiver.callsTo(hook.path)).toHaveLength(1);
    expect(await deliveriesOf(vaultId)).toHaveLength(1);
  });

  it('another 4xx fails at once without a retry', async () => {
    const vaultId = await createVault(web.stack);
    const hook = await addWebhook(vaultId);
    web.receiver.script(hook.path, [400]);
    await runJob(web.stack, vaultId, { entityName: 'vm-bad-request' });
    await eventually(async () => (await deliveriesOf(vaultId))[0]?.status === 'Failed', 'a failed delivery');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(web.receiver.callsTo(hook.path)).toHaveLength(1);
    expect((await deliveriesOf(vaultId))[0]).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/HTTP 400/) });
    expect((await web.stack.api('GET', `/v1/vaults/${vaultId}/webhooks/${hook.id}`)).body.enabled).toBe(true);
  });

  it('filters by event and floor: a Warning skips a Critical-only webhook; acknowledged is opt-in', async () => {
    const vaultId = await createVault(web.stack);
    const critical = await addWebhook(vaultId, { minSeverity: 'Critical' });
    const all = await addWebhook(vaultId, { events: ['alert.raised'] });
    await runJob(web.stack, vaultId, { workloadType: 'MAB', entityName: 'server-warn', outcome: { status: 'CompletedWithWarnings' } });
    await eventually(async () => web.receiver.callsTo(all.path).length === 1, 'the unfiltered webhook');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(web.receiver.callsTo(critical.path)).toHaveLength(0);
  });

  it('test event: 202 with a delivery id, a signed test body; Slack and Teams shapes', async () => {
    const vaultId = await createVault(web.stack);
    const standard = await addWebhook(vaultId);
    const slack = await addWebhook(vaultId, { format: 'slack' });
    const teams = await addWebhook(vaultId, { format: 'teams' });
    const answer = await web.stack.api('POST', `/v1/vaults/${vaultId}/webhooks/${standard.id}/test`);
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ deliveryId: expect.any(String) });
    const [call] = await eventually(async () => (web.receiver.callsTo(standard.path).length ? web.receiver.callsTo(standard.path) : null), 'the test event');
    expect(call!.headers['webhook-id']).toBe(answer.body.deliveryId);
    expect(verifySignature(standard.secret, call!)).toBe(true);
    expect(JSON.parse(call!.body)).toMatchObject({ type: 'test', timestamp: expect.stringMatching(/Z$/) });
    // The receiver answers before the worker records the outcome: the log says Delivered a moment later.
    await eventually(async () => (await deliveriesOf(vaultId, 'status=Delivered')).some((d) => d.id === answer.body.deliveryId) || null, 'the test delivery logged Delivered');

    await runJob(web.stack, vaultId, { entityName: 'vm-<chat>' });
    const [slackCall] = await eventually(async () => (web.receiver.callsTo(slack.path).length ? web.receiver.callsTo(slack.path) : null), 'slack');
    const [teamsCall] = await eventually(async () => (web.receiver.callsTo(teams.path).length ? web.receiver.callsTo(teams.path) : null), 'teams');
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
    const vaultId = await createVault(web.stack);
    await addWebhook(vaultId);
    await runJob(web.stack, vaultId, { entityName: 'vm-a' });
    await runJob(web.stack, vaultId, { entityName: 'vm-b' });
    await runJob(web.stack, vaultId, { entityName: 'vm-c' });
    await eventually(async () => (await deliveriesOf(vaultId, 'status=Delivered')).length === 3, 'three delivered');
    const alerts = await alertsOf(web.stack, vaultId);
    const first = await web.stack.api('GET', `/v1/vaults/${vaultId}/deliveries?limit=2`);
    expect(first.body.items).toHaveLength(2);
    const second = await web.stack.api('GET', `/v1/vaults/${vaultId}/deliveries?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ nextCursor: null });
    const all = [...first.body.items, ...second.body.items];
    expect(all.map((d: { alertId: string }) => d.alertId)).toEqual(alerts.map((a) => a.id)); // both newest first
    expect((await deliveriesOf(vaultId, `alertId=${alerts[1].id}`)).map((d) => d.alertId)).toEqual([alerts[1].id]);
    expect(await deliveriesOf(vaultId, 'channel=email')).toEqual([]);
    expect((await web.stack.api('GET', `/v1/vaults/${vaultId}/deliveries?status=Sent`)).status).toBe(400);
    expect((await web.stack.api('GET', `/v1/vaults/${vaultId}/deliveries?cursor=bogus`)).status).toBe(400);
  });
});
