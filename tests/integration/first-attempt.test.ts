// The first attempt of an alert's deliveries is made by the raise itself: a healthy endpoint has
// its webhook before the job's workflow ends, with no delivery workflow; only what needs a retry
// (or still hangs) gets one.
import { WorkflowNotFoundError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { runJob } from '../support/jobs';
import { createVault, eventually } from '../support/stack';
import { useWebhookStack } from '../support/webhook-stack';

const web = useWebhookStack();

const describeDelivery = (id: string) => web.stack.client.workflow.getHandle(`delivery/${id}`).describe();
async function hook(vaultId: string, path: string) {
  const created = await web.stack.api('POST', `/v1/vaults/${vaultId}/webhooks`, { url: web.receiver.url(path) });
  expect(created.status).toBe(201);
}
const raisedDeliveries = async (vaultId: string) =>
  web.stack.sql`select id, target, status, attempts from deliveries where vault_id = ${vaultId} and event = 'alert.raised'`;

describe('first attempt from the raise', () => {
  it('a healthy endpoint is delivered before the job workflow ends, with no delivery workflow', async () => {
    const vaultId = await createVault(web.stack);
    await hook(vaultId, '/first-ok');
    await runJob(web.stack, vaultId, { entityName: 'vm-first' });
    expect(web.receiver.callsTo('/first-ok')).toHaveLength(1);
    const [row] = await raisedDeliveries(vaultId);
    expect(row).toMatchObject({ status: 'Delivered', attempts: 1 });
    await expect(describeDelivery(row!.id)).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('a failing endpoint gets its workflow for the retries; a hanging one neither holds up the healthy one nor is lost', async () => {
    const vaultId = await createVault(web.stack);
    await hook(vaultId, '/first-healthy');
    await hook(vaultId, '/first-503');
    await hook(vaultId, '/first-hangs');
    web.receiver.script('/first-503', [503]);
    web.receiver.setAnswer('/first-hangs', 'hang');
    await runJob(web.stack, vaultId, { entityName: 'vm-fan' });
    const [healthy] = web.receiver.callsTo('/first-healthy');
    const [hanging] = web.receiver.callsTo('/first-hangs');
    expect(healthy).toBeDefined();
    expect(hanging).toBeDefined();
    // Sent together, not one after another.
    expect(Math.abs(healthy!.at - hanging!.at)).toBeLessThan(1_000);

    const rows = await raisedDeliveries(vaultId);
    const of = (path: string) => rows.find((r) => r.target === web.receiver.url(path))!;
    expect(of('/first-healthy')).toMatchObject({ status: 'Delivered', attempts: 1 });
    await expect(describeDelivery(of('/first-healthy').id)).rejects.toBeInstanceOf(WorkflowNotFoundError);
    // The 503 is retried by its workflow and delivered on its second attempt, under the same id.
    await eventually(async () => (await raisedDeliveries(vaultId)).find((r) => r.id === of('/first-503').id)?.status === 'Delivered', 'the retry of the 503');
    // The row says Delivered a moment before the workflow closes: its result is the proof.
    expect(await web.stack.client.workflow.getHandle(`delivery/${of('/first-503').id}`).result()).toEqual({ status: 'Delivered', attempts: 2 });
    const retried = web.receiver.callsTo('/first-503');
    expect(retried.map((c) => c.answered)).toEqual([503, 200]);
    expect(new Set(retried.map((c) => c.headers['webhook-id']))).toEqual(new Set([of('/first-503').id]));
    // The hanging one stays Pending with a workflow of its own waiting to retry it.
    expect((await raisedDeliveries(vaultId)).find((r) => r.id === of('/first-hangs').id)?.status).toBe('Pending');
    expect((await describeDelivery(of('/first-hangs').id)).status.name).toBe('RUNNING');
  }, 60_000);
});
