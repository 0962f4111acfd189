import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { audit } from '../../db/schema';
import { alertsOf, runJob } from '../support/jobs';
import { createVault, eventually, startStack, type Stack } from '../support/stack';

// Sending belongs to the channels work: what this branch owes is the planAlertEvent calls.
const planned = vi.hoisted(() => [] as { alertId: string; event: string; at: Date }[]);
vi.mock('../../notifications/plan', () => ({
  planAlertEvent: vi.fn(async (_db: unknown, input: (typeof planned)[number]) => {
    planned.push(input);
    return [];
  }),
}));
const plansOf = (alertId: string) => planned.filter((p) => p.alertId === alertId);

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(() => stack?.close());

const history = async (vaultId: string, alertId: string) => (await stack.api('GET', `/v1/vaults/${vaultId}/alerts/${alertId}/history`)).body.items;
const alertOf = async (vaultId: string, alertId: string) => (await stack.api('GET', `/v1/vaults/${vaultId}/alerts/${alertId}`)).body;
const silencesOf = async (vaultId: string, status = '') => (await stack.api('GET', `/v1/vaults/${vaultId}/silences${status ? `?status=${status}` : ''}`)).body.items;
const alertFor = async (vaultId: string, entityName: string) => (await alertsOf(stack, vaultId)).find((a) => a.entityName === entityName);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('silences over HTTP (§2.7, §4)', () => {
  it('creates, lists by status and refuses bad input with 400s', async () => {
    const vaultId = await createVault(stack);
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    const created = await stack.api('POST', `/v1/vaults/${vaultId}/silences`, { match: { workloadType: 'AzureVM' }, comment: 'patching', endsAt });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/), match: { workloadType: 'AzureVM' }, comment: 'patching', startsAt: expect.any(String), endsAt,
      rrule: null, duration: null, status: 'Active', createdAt: expect.any(String), createdBy: 'admin',
    });
    const weekly = await stack.api('POST', `/v1/vaults/${vaultId}/silences`, {
      match: {}, comment: 'weekend', startsAt: new Date(Date.now() + 60_000).toISOString(), rrule: 'FREQ=WEEKLY;BYDAY=SA;BYHOUR=1;BYMINUTE=0;BYSECOND=0', duration: '2h',
    });
    expect(weekly).toMatchObject({ status: 201, body: { status: 'Pending', rrule: 'FREQ=WEEKLY;BYDAY=SA;BYHOUR=1;BYMINUTE=0;BYSECOND=0', duration: '2h', endsAt: null } });
    expect((await silencesOf(vaultId)).map((s: any) => s.id)).toEqual([weekly.body.id, created.body.id]);
    expect((await silencesOf(vaultId, 'Active')).map((s: any) => s.id)).toEqual([created.body.id]);
    expect((await silencesOf(vaultId, 'Pending')).map((s: any) => s.id)).toEqual([weekly.body.id]);

    for (const body of [
      { match: {}, comment: 'x' },
      { match: {}, comment: 'x', endsAt: new Date(Date.now() - 1000).toISOString() },
      { match: {}, comment: 'x', startsAt: endsAt, endsAt: new Date(Date.now() + 60_000).toISOString() },
      { match: {}, comment: 'x', rrule: 'FREQ=SOMETIMES', duration: '1h' },
      { match: {}, comment: 'x', rrule: 'FREQ=DAILY', duration: 'forever' },
      { match: {}, comment: 'x', rrule: 'FREQ=DAILY' },
      { match: { entity: 'typo' }, comment: 'x', endsAt },
      { match: { severity: 'Huge' }, comment: 'x', endsAt },
      { comment: 'x', endsAt },
      { match: {}, endsAt },
    ]) {
      const response = await stack.api('POST', `/v1/vaults/${vaultId}/silences`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.contentType).toContain('application/problem+json');
    }
    expect(await silencesOf(vaultId)).toHaveLength(2);
    expect((await stack.api('DELETE', `/v1/vaults/${vaultId}/silences/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await stack.api('GET', `/v1/vaults/nope-${vaultId}/silences`)).status).toBe(404);
    expect((await stack.api('GET', `/v1/vaults/${vaultId}/silences?status=Sleeping`)).status).toBe(400);

    expect((await stack.api('DELETE', `/v1/vaults/${vaultId}/silences/${created.body.id}`)).status).toBe(204);
    expect((await silencesOf(vaultId, 'Expired')).map((s: any) => s.id)).toEqual([created.body.id]);
    expect((await stack.api('DELETE', `/v1/vaults/${vaultId}/silences/${created.body.id}`)).status).toBe(204);
    const rows = await stack.db.select().from(audit).where(eq(audit.vaultId, vaultId)).orderBy(audit.id);
    // The vault's own creation is audited too (vault.updated); only the silence rows matter here.
    expect(rows.filter((r) => r.action.startsWith('silence.')).map((r) => [r.action, r.target])).toEqual([
      ['silence.created', `silence/${created.body.id}`], ['silence.created', `silence/${weekly.body.id}`], ['silence.deleted', `silence/${created.body.id}`],
    ]);
  });
});

describe('suppression and release (§2.7)', () => {
  it('suppresses matching alerts, then at the end notifies once what is still open and never what resolved', async () => {
    const vaultId = await createVault(stack);
    // Long enough for five jobs inside the window on a loaded machine.
    const endsAt = new Date(Date.now() + 15_000);
    const silence = (await stack.api('POST', `/v1/vaults/${vaultId}/silences`, { match: { workloadType: 'AzureVM' }, comment: 'patch night', endsAt: endsAt.toISOString() })).body;

    await runJob(stack, vaultId, { entityName: 'vm-stays' });
    await runJob(stack, vaultId, { entityName: 'vm-heals' });
    await runJob(stack, vaultId, { workloadType: 'AzureFiles', entityName: 'share-01' });
    await runJob(stack, vaultId, { workloadType: 'AzureVM', entityName: 'vm-gone', operation: 'StopProtectionDeleteData', trigger: 'User', outcome: { status: 'Completed' } });
    const stays = await alertFor(vaultId, 'vm-stays');
    const heals = await alertFor(vaultId, 'vm-heals');
    const share = await alertFor(vaultId, 'share-01');
    const destructive = await alertFor(vaultId, 'vm-gone');
    expect([stays.suppressed, heals.suppressed, share.suppressed, destructive.suppressed]).toEqual([true, true, false, true]);
    expect((await history(vaultId, stays.id)).map((h: any) => [h.action, h.silenceId ?? null])).toEqual([['Raised', null], ['Suppressed', silence.id]]);
    // Held back: nothing planned, except the unsilenceable destructive notice and the unmatched alert.
    expect(plansOf(stays.id)).toEqual([]);
    expect(plansOf(heals.id)).toEqual([]);
    expect(plansOf(share.id).map((p) => p.event)).toEqual(['alert.raised']);
    expect(plansOf(destructive.id).map((p) => p.event)).toEqual(['alert.raised']);

    await runJob(stack, vaultId, { entityName: 'vm-heals', outcome: { status: 'Completed' } });
    expect(await alertOf(vaultId, heals.id)).toMatchObject({ status: 'Inactive', resolution: 'AutoResolved', suppressed: true });

    expect(Date.now()).toBeLessThan(endsAt.getTime()); // everything above happened inside the window
    await eventually(async () => !(await alertOf(vaultId, stays.id)).suppressed, 'the release at the end of the window', 30_000);
    const released = plansOf(stays.id);
    expect(released.map((p) => p.event)).toEqual(['alert.raised']);
    expect(released[0]!.at.getTime()).toBeGreaterThanOrEqual(endsAt.getTime());
    await sleep(1_000);
    expect(plansOf(stays.id)).toHaveLength(1);
    expect(plansOf(heals.id)).toEqual([]);
    expect(await alertOf(vaultId, heals.id)).toMatchObject({ suppressed: true, status: 'Inactive' });
    // After the end, new alerts are not held back.
    await runJob(stack, vaultId, { entityName: 'vm-later' });
    expect((await alertFor(vaultId, 'vm-later')).suppressed).toBe(false);
  }, 90_000);

  it('deleting a silence releases what it held at once', async () => {
    const vaultId = await createVault(stack);
    const silence = (await stack.api('POST', `/v1/vaults/${vaultId}/silences`, { match: { entityName: 'vm-01' }, comment: 'long', endsAt: new Date(Date.now() + 3_600_000).toISOString() })).body;
    await runJob(stack, vaultId, { entityName: 'vm-01' });
    const alert = await alertFor(vaultId, 'vm-01');
    expect(alert.suppressed).toBe(true);
    expect((await stack.api('DELETE', `/v1/vaults/${vaultId}/silences/${silence.id}`)).status).toBe(204);
    await eventually(async () => !(await alertOf(vaultId, alert.id)).suppressed, 'the release on delete');
    expect(plansOf(alert.id).map((p) => p.event)).toEqual(['alert.raised']);
    await eventually(async () => {
      const run = await stack.client.workflow.getHandle(`silence/${silence.id}`).describe();
      return run.status.name === 'COMPLETED';
    }, 'the silence workflow to finish');
  });

  it('a recurring second-level silence is active on its occurrences only, and releases after each', async () => {
    const vaultId = await createVault(stack);
    // Occurrences of 5 s every 10 s, three of them, starting on the next whole second.
    const startsAt = new Date(Math.ceil((Date.now() + 1_000) / 1000) * 1000);
    const silence = (await stack.api('POST', `/v1/vaults/${vaultId}/silences`, {
      match: { entityName: 'vm-r' }, comment: 'every 10 s', startsAt: startsAt.toISOString(), rrule: 'FREQ=SECONDLY;INTERVAL=10;COUNT=3', duration: '5s',
    })).body;
    const statusNow = async () => (await silencesOf(vaultId)).find((s: any) => s.id === silence.id).status;
    const inPhase = (offsetMs: number) => eventually(async () => {
      const phase = (Date.now() - startsAt.getTime()) % 10_000;
      return phase >= offsetMs && phase < offsetMs + 500;
    }, `phase ${offsetMs}`, 20_000);

    await inPhase(200); // inside the first occurrence
    expect(await statusNow()).toBe('Active');
    await runJob(stack, vaultId, { entityName: 'vm-r' });
    await inPhase(5_300); // in the gap
    expect(await statusNow()).toBe('Pending');
    const first = (await alertsOf(stack, vaultId))[0];
    // Released at the end of the first occurrence (the timer fired at 5 s).
    await eventually(async () => !(await alertOf(vaultId, first.id)).suppressed, 'release after the first occurrence', 3_000);
    expect((await history(vaultId, first.id)).map((h: any) => [h.action, h.silenceId ?? null])).toEqual([['Raised', null], ['Suppressed', silence.id]]);
    expect(plansOf(first.id).map((p) => p.event)).toEqual(['alert.raised']);
    await runJob(stack, vaultId, { entityName: 'vm-r', trigger: 'User' });
    const inGap = (await alertsOf(stack, vaultId)).find((a) => a.id !== first.id);
    expect(inGap.suppressed).toBe(false);

    await inPhase(200); // the second occurrence
    expect(await statusNow()).toBe('Active');
    await runJob(stack, vaultId, { entityName: 'vm-r', trigger: 'User' });
    const second = (await alertsOf(stack, vaultId)).find((a) => a.id !== first.id && a.id !== inGap.id);
    expect(second.suppressed).toBe(true);
    expect((await history(vaultId, second.id)).map((h: any) => h.silenceId ?? null)).toEqual([null, silence.id]);
    await eventually(async () => !(await alertOf(vaultId, second.id)).suppressed, 'release after the second occurrence', 15_000);
    expect(plansOf(second.id).map((p) => p.event)).toEqual(['alert.raised']);
  }, 90_000);
});
