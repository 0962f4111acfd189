// BackupMissed flows through the same routing as every alert (§2.6, §2.7): planned inside the
// raising transaction, dispatched after it, suppressed by a maintenance window. The routing and
// silence modules are other work's; here they are replaced by recorders with the same contract.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runJob } from '../support/jobs';
import { createVault, eventually, startStack, type Stack } from '../support/stack';

const calls = vi.hoisted(() => ({ planned: [] as any[], dispatched: [] as string[][], silence: '6f1c2a4e-0b7d-4c1e-9a55-3e2f1d0c9b8a' }));
vi.mock('../../notifications/plan', () => ({
  planAlertEvent: async (_tx: unknown, input: any) => { calls.planned.push(input); return [`delivery-${input.alertId}`]; },
  planAlertsRaised: async (_tx: unknown, vaultId: string, alertIds: string[], at: Date) => alertIds.map((alertId) => {
    calls.planned.push({ vaultId, alertId, event: 'alert.raised', at });
    return `delivery-${alertId}`;
  }),
}));
vi.mock('../../notifications/dispatch', () => ({
  dispatchDeliveries: async (_deps: unknown, ids: string[]) => { calls.dispatched.push([...ids]); },
}));
vi.mock('../../readmodel/silences', () => ({
  findSuppressingSilence: async (_db: unknown, _vaultId: string, alert: { entityName: string }) => (alert.entityName === 'vm-silenced' ? calls.silence : null),
  findSuppressingSilences: async (_db: unknown, _vaultId: string, alerts: { entityName: string }[]) =>
    alerts.map((alert) => (alert.entityName === 'vm-silenced' ? calls.silence : null)),
}));

let stack: Stack;
beforeAll(async () => { stack = await startStack({ readYourWritesMs: 500 }); });
afterAll(() => stack?.close());

describe('BackupMissed routing', () => {
  it('plans alert.raised once, dispatches after commit; a silenced one is suppressed and plans nothing', async () => {
    const vaultId = await createVault(stack);
    await stack.api('PUT', `/v1/vaults/${vaultId}`, { contacts: { owners: [], admins: [], coAdmins: [] }, backupPolicy: { expectedEvery: '2s', grace: '1s' } });
    await runJob(stack, vaultId, { entityName: 'vm-loud', outcome: { status: 'Completed' } });
    await runJob(stack, vaultId, { entityName: 'vm-silenced', outcome: { status: 'Completed' } });
    const alerts = await eventually(async () => {
      const rows = await stack.sql`select * from alerts where vault_id = ${vaultId} and scenario = 'BackupMissed' order by entity_name`;
      return rows.length === 2 ? rows : null;
    }, 'two BackupMissed alerts', 15_000);
    const [loud, silenced] = [alerts.find((a) => a.entity_name === 'vm-loud')!, alerts.find((a) => a.entity_name === 'vm-silenced')!];

    await eventually(async () => calls.dispatched.some((ids) => ids.includes(`delivery-${loud.id}`)), 'the dispatch');
    const mine = () => calls.planned.filter((p) => p.vaultId === vaultId);
    expect(mine()).toEqual([{ vaultId, alertId: loud.id, event: 'alert.raised', at: new Date(loud.raised_at) }]);
    expect(loud.suppressed).toBe(false);

    expect(silenced).toMatchObject({ suppressed: true, suppressed_by: calls.silence });
    const history = await stack.sql`select action, silence_id from alert_history where alert_id = ${silenced.id} order by id`;
    expect(history).toEqual([{ action: 'Raised', silence_id: null }, { action: 'Suppressed', silence_id: calls.silence }]);

    await new Promise((r) => setTimeout(r, 4_000)); // more than an allowance: nothing planned twice
    expect(mine()).toHaveLength(1);
  }, 60_000);
});
