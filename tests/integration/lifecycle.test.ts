import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { audit } from '../../db/schema';
import { alertsOf, runJob } from '../support/jobs';
import { createVault, eventually, startStack, type Stack } from '../support/stack';

// The channels work sends; here every planAlertEvent call (API and in-process worker alike) is
// recorded, which is exactly what this branch decides: which events are owed, when, and how often.
const planned = vi.hoisted(() => [] as { vaultId: string; alertId: string; event: string; at: Date }[]);
vi.mock('../../notifications/plan', () => ({
  planAlertEvent: vi.fn(async (_db: unknown, input: (typeof planned)[number]) => {
    planned.push(input);
    return [];
  }),
}));
const plansOf = (alertId: string) => planned.filter((p) => p.alertId === alertId).map((p) => p.event);

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(() => stack?.close());

const sqlFailure = { workloadType: 'AzureWorkload', entityName: 'sql-01/SalesDb', outcome: { status: 'Failed', errorCode: 'UserErrorSqlLogFull', errorMessage: 'log full' } } as const;
const history = async (vaultId: string, alertId: string) => (await stack.api('GET', `/v1/vaults/${vaultId}/alerts/${alertId}/history`)).body.items;
const alertOf = async (vaultId: string, alertId: string) => (await stack.api('GET', `/v1/vaults/${vaultId}/alerts/${alertId}`)).body;
const details = (vaultId: string, jobId: string) =>
  stack.client.workflow.getHandle(`backup-job/${vaultId}/${jobId}`).query<{ currentDetails: string }>('__temporal_workflow_metadata');

describe('auto-resolve through real jobs (§2.4)', () => {
  it('failure → alert, success → AutoResolved by that job, next failure → a new alert that notifies again', async () => {
    const vaultId = await createVault(stack);
    const failed = await runJob(stack, vaultId, { entityName: 'vm-01' });
    const [alert] = await alertsOf(stack, vaultId);
    expect(alert).toMatchObject({ status: 'Active', jobId: failed, resolution: null });
    expect(plansOf(alert.id)).toEqual(['alert.raised']);

    const succeeded = await runJob(stack, vaultId, { entityName: 'vm-01', outcome: { status: 'Completed' } });
    const job = (await stack.api('GET', `/v1/vaults/${vaultId}/jobs/${succeeded}`)).body;
    expect(await alertOf(vaultId, alert.id)).toMatchObject({
      status: 'Inactive', resolution: 'AutoResolved', inactivatedBy: 'system', resolvedByJobId: succeeded, inactivatedAt: job.endedAt,
    });
    expect(plansOf(alert.id)).toEqual(['alert.raised', 'alert.resolved']);
    expect(await history(vaultId, alert.id)).toEqual([
      { at: alert.raisedAt, action: 'Raised', by: 'system', jobId: failed },
      { at: job.endedAt, action: 'AutoResolved', by: 'system', jobId: succeeded },
    ]);
    // The Temporal UI says why.
    expect((await details(vaultId, succeeded)).currentDetails).toContain(`resolved alerts ${alert.id}`);

    await runJob(stack, vaultId, { entityName: 'vm-01' });
    const open = (await alertsOf(stack, vaultId)).filter((a) => a.status === 'Active');
    expect(open).toHaveLength(1);
    expect(open[0].id).not.toBe(alert.id);
    expect(plansOf(open[0].id)).toEqual(['alert.raised']);
  });

  it('leaves alerts open when the vault has autoResolve off, and never resolves destructive events', async () => {
    const vaultId = await createVault(stack);
    await stack.api('PUT', `/v1/vaults/${vaultId}`, { name: vaultId, autoResolve: false });
    await runJob(stack, vaultId, { entityName: 'vm-01' });
    await runJob(stack, vaultId, { entityName: 'vm-01', outcome: { status: 'Completed' } });
    expect((await alertsOf(stack, vaultId)).map((a) => a.status)).toEqual(['Active']);

    const other = await createVault(stack);
    await runJob(stack, other, { entityName: 'vm-02', operation: 'DeleteBackupData', trigger: 'User', outcome: { status: 'Completed' } });
    await runJob(stack, other, { entityName: 'vm-02', outcome: { status: 'Completed' } });
    expect((await alertsOf(stack, other)).map((a) => [a.scenario, a.status])).toEqual([['DeleteBackupData', 'Active']]);
  });
});

describe('acknowledge and inactivate (§2.4, §4)', () => {
  it('an acknowledged SQL alert keeps consolidating, stays Acknowledged, then inactivates with a comment; ack of Inactive is a 409', async () => {
    const vaultId = await createVault(stack);
    const first = await runJob(stack, vaultId, sqlFailure);
    const [alert] = await alertsOf(stack, vaultId);

    const ack = await stack.api('POST', `/v1/vaults/${vaultId}/alerts/${alert.id}/acknowledge`, { comment: 'on it' }, { 'x-request-id': 'req-ack-1' });
    expect(ack).toMatchObject({ status: 202, body: { id: alert.id, status: 'Acknowledged' } });
    const acked = await alertOf(vaultId, alert.id);
    expect(acked).toMatchObject({ status: 'Acknowledged', acknowledgedBy: 'admin', acknowledgedAt: expect.any(String), inactivatedAt: null });
    // Again: no change, no second history entry; an empty JSON body is accepted too.
    expect((await stack.api('POST', `/v1/vaults/${vaultId}/alerts/${alert.id}/acknowledge`, '', { 'content-type': 'application/json' })).body.status).toBe('Acknowledged');
    expect((await alertOf(vaultId, alert.id)).acknowledgedAt).toBe(acked.acknowledgedAt);

    const second = await runJob(stack, vaultId, sqlFailure);
    const third = await runJob(stack, vaultId, sqlFailure);
    expect(await alertsOf(stack, vaultId)).toEqual([expect.objectContaining({ id: alert.id, status: 'Acknowledged', occurrences: 3, jobId: first, latestJobId: third })]);
    expect(plansOf(alert.id)).toEqual(['alert.raised', 'alert.acknowledged']);

    const inactivated = await stack.api('POST', `/v1/vaults/${vaultId}/alerts/${alert.id}/inactivate`, { comment: 'log chain repaired' });
    expect(inactivated).toMatchObject({ status: 202, body: { id: alert.id, status: 'Inactive' } });
    const done = await alertOf(vaultId, alert.id);
    expect(done).toMatchObject({ status: 'Inactive', resolution: 'Manual', inactivatedBy: 'admin', acknowledgedBy: 'admin' });
    expect(plansOf(alert.id)).toEqual(['alert.raised', 'alert.acknowledged', 'alert.resolved']);
    expect((await stack.api('POST', `/v1/vaults/${vaultId}/alerts/${alert.id}/inactivate`)).status).toBe(202);
    expect((await alertOf(vaultId, alert.id)).inactivatedAt).toBe(done.inactivatedAt);

    const conflict = await stack.api('POST', `/v1/vaults/${vaultId}/alerts/${alert.id}/acknowledge`);
    expect(conflict.status).toBe(409);
    expect(conflict.contentType).toContain('application/problem+json');
    expect(conflict.body).toMatchObject({ status: 409, title: 'Conflict' });

    expect((await history(vaultId, alert.id)).map((h: any) => [h.action, h.by, h.jobId ?? h.comment ?? null])).toEqual([
      ['Raised', 'system', first], ['Acknowledged', 'admin', 'on it'], ['Occurred', 'system', second], ['Occurred', 'system', third],
      ['Inactivated', 'admin', 'log chain repaired'],
    ]);
    const rows = await stack.db.select().from(audit).where(and(eq(audit.vaultId, vaultId), eq(audit.target, `alert/${alert.id}`))).orderBy(audit.id);
    expect(rows.map((r) => [r.action, r.principal, r.requestId === 'req-ack-1' ? 'req-ack-1' : typeof r.requestId])).toEqual([
      ['alert.acknowledged', 'admin', 'req-ack-1'], ['alert.inactivated', 'admin', 'string'],
    ]);
    // The next occurrence after the inactivation opens a new alert.
    await runJob(stack, vaultId, sqlFailure);
    expect((await alertsOf(stack, vaultId)).map((a) => [a.status, a.occurrences])).toEqual([['Active', 1], ['Inactive', 3]]);
  });

  it('refuses a malformed body with a 400 and changes nothing', async () => {
    const vaultId = await createVault(stack);
    await runJob(stack, vaultId, { entityName: 'vm-01' });
    const [alert] = await alertsOf(stack, vaultId);
    for (const body of ['{not json', { comment: 42 }, { comment: 'x'.repeat(1001) }, { comment: 'a\u0000b' }, '{"comment":"\\ud800"}']) {
      const response = await stack.api('POST', `/v1/vaults/${vaultId}/alerts/${alert.id}/acknowledge`, body);
      expect(response.status).toBe(400);
    }
    expect((await alertOf(vaultId, alert.id)).status).toBe('Active');
  });
});
