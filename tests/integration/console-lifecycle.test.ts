import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleSession } from '../support/console';
import { alertsOf, runJob } from '../support/jobs';
import { createVault, startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(() => stack?.close());

let session: Awaited<ReturnType<typeof consoleSession>>;
beforeAll(async () => { session = await consoleSession(stack); });
const page = (path: string) => session.page(path);
const post = (path: string, form: Record<string, string>) => session.page(path, {
  method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: stack.baseUrl }, body: new URLSearchParams(form),
});

describe('console: alert lifecycle and maintenance windows', () => {
  it('acknowledges with a comment, shows the history timeline, then inactivates', async () => {
    const vaultId = await createVault(stack);
    await runJob(stack, vaultId, { entityName: 'vm-01' });
    const [alert] = await alertsOf(stack, vaultId);
    const path = `/console/vaults/${vaultId}/alerts/${alert.id}`;
    let view = await page(path);
    expect(view.html).toContain('id="acknowledge-form"');
    expect(view.html).toContain('data-action="Raised"');

    const acked = await post(`${path}/acknowledge`, { comment: 'on it <b>now</b>', back: path });
    expect(acked.status).toBe(303);
    expect(acked.location).toContain('flash=acknowledged');
    view = await page(path);
    expect(view.html).not.toContain('id="acknowledge-form"');
    expect(view.html).toContain('id="inactivate-form"');
    expect(view.html).toContain('data-action="Acknowledged"');
    expect(view.html).toContain('on it &lt;b&gt;now&lt;/b&gt;');
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/alerts/${alert.id}`)).body).toMatchObject({ status: 'Acknowledged', acknowledgedBy: 'admin' });

    expect((await post(`${path}/inactivate`, { comment: 'fixed' })).status).toBe(303);
    const history = (await stack.api('GET', `/v1/vaults/${vaultId}/alerts/${alert.id}/history`)).body.items;
    expect(history.map((h: any) => [h.action, h.comment ?? null])).toEqual([['Raised', null], ['Acknowledged', 'on it <b>now</b>'], ['Inactivated', 'fixed']]);
    expect((await page(path)).html).toContain('This alert is Inactive');
  });

  it('previews, creates and deletes a maintenance window', async () => {
    const vaultId = await createVault(stack);
    const path = `/console/vaults/${vaultId}/silences`;
    expect((await page(path)).html).toContain('No maintenance windows.');
    const form = { entityName: 'vm-01', comment: 'patching', rrule: 'FREQ=DAILY;BYHOUR=1;BYMINUTE=0;BYSECOND=0', duration: '2h' };

    const preview = await post(path, { ...form, intent: 'preview' });
    expect(preview.status).toBe(200);
    const previewHtml = preview.html;
    expect(previewHtml.match(/<li><time/g)?.length).toBe(5);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/silences`)).body.items).toEqual([]);

    const invalid = await post(path, { ...form, rrule: 'FREQ=NEVER', intent: 'create' });
    expect(invalid.status).toBe(422);
    expect(invalid.html).toContain('id="silence-errors"');

    const created = await post(path, { ...form, intent: 'create' });
    expect(created.status).toBe(303);
    const [silence] = (await stack.api('GET', `/v1/vaults/${vaultId}/silences`)).body.items;
    expect(silence).toMatchObject({ match: { entityName: 'vm-01' }, comment: 'patching', rrule: form.rrule, duration: '2h', createdBy: 'admin' });
    expect((await page(path)).html).toContain(`data-silence-id="${silence.id}"`);

    expect((await post(`${path}/${silence.id}/delete`, {})).status).toBe(303);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/silences`)).body.items[0].status).toBe('Expired');
  });
});
