// The first attempt of an alert's deliveries is made by the raise itself: a healthy endpoint has
// its webhook before the job's workflow ends, with no delivery workflow; only what needs a retry
// (or still hangs) gets one.
import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver } from '../../scripts/lib/webhook-receiver';
import { runJob } from '../support/jobs';
import { createVault, eventually, startStack, type Stack } from '../support/stack';

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

const describeDelivery = (id: string) => stack.client.workflow.getHandle(`delivery/${id}`).describe();
async function hook(vaultId: string, path: string) {
  const created = await stack.api('POST', `/v1/vaults/${vaultId}/webhooks`, { url: receiver.url(path) });
  expect(created.status).toBe(201);
}
const raisedDeliveries = async (vaultId: string) =>
  stack.sql`select id, target, status, attempts from deliveries where vault_id = ${vaultId} and event = 'alert.raised'`;

describe('first attempt from the raise', () => {
  it('a healthy endpoint is delivered before the job workflow ends, with no delivery workflow', async () => {
    const vaultId = await createVault(stack);
    await hook(vaultId, '/first-ok');
    await runJob(stack, vaultId, { entityName: 'vm-first' });
    expect(receiver.callsTo('/first-ok')).toHaveLength(1);
    const [row] = await raisedDeliveries(vaultId);
    expect(row).toMatchObject({ status: 'Delivered', attempts: 1 });
    await expect(describeDelivery(row!.id)).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('a failing endpoint gets its workflow for the retries; a hanging one neither holds up the healthy one nor is lost', async () => {
    const vaultId = await createVault(stack);
    await hook(vaultId, '/first-healthy');
    await hook(vaultId, '/first-503');
    await hook(vaultId, '/first-hangs');
    receiver.script('/first-503', [503]);
    receiver.setAnswer('/first-hangs', 'hang');
    await runJob(stack, vaultId, { entityName: 'vm-fan' });
    const [healthy] = receiver.callsTo('/first-healthy');
    const [hanging] = receiver.callsTo('/first-hangs');
    expect(healthy).toBeDefined();
    expect(hanging).toBeDefined();
    // Sent together, not one after another.
    expect(Math.abs(healthy!.at - hanging!.at)).toBeLessThan(1_000);

    const rows = await raisedDeliveries(vaultId);
    const of = (path: string) => rows.find((r) => r.target === receiver.url(path))!;
    expect(of('/first-healthy')).toMatchObject({ status: 'Delivered', attempts: 1 });
    await expect(describeDelivery(of('/first-healthy').id)).rejects.toBeInstanceOf(WorkflowNotFoundError);
    // The 503 is retried by its workflow and delivered on its second attempt, under the same id.
    await eventually(async () => (await raisedDeliveries(vaultId)).find((r) => r.id === of('/first-503').id)?.status === 'Delivered', 'the retry of the 503');
    // The row says Delivered a moment before the workflow closes: its result is the proof.
    expect(await stack.client.workflow.getHandle(`delivery/${of('/first-503').id}`).result()).toEqual({ status: 'Delivered', attempts: 2 });
    const retried = receiver.callsTo('/first-503');
    expect(retried.map((c) => c.answered)).toEqual([503, 200]);
    expect(new Set(retried.map((c) => c.headers['webhook-id']))).toEqual(new Set([of('/first-503').id]));
    // The hanging one stays Pending with a workflow of its own waiting to retry it.
    expect((await raisedDeliveries(vaultId)).find((r) => r.id === of('/first-hangs').id)?.status).toBe('Pending');
    expect((await describeDelivery(of('/first-hangs').id)).status.name).toBe('RUNNING');
  }, 60_000);
});
