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
const raisedDeliveries = async (vaultId: string) =>
  web.stack.sql`select id, target, status, attempts from deliveries where vault_id = ${vaultId} and event = 'alert.raised'`;

describe('first attempt from the raise', () => {
  it('a healthy endpoint is delivered before the job workflow ends, with no delivery workflow', async () => {
    const vaultId = await createVault(web.stack);
    const ok = await web.addWebhook(vaultId);
    await runJob(web.stack, vaultId, { entityName: 'vm-first' });
    expect(web.receiver.callsTo(ok.path)).toHaveLength(1);
    const [row] = await raisedDeliveries(vaultId);
    expect(row).toMatchObject({ status: 'Delivered', attempts: 1 });
    await expect(describeDelivery(row!.id)).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('a failing endpoint gets its workflow for the retries; a hanging one neither holds up the healthy one nor is lost', async () => {
    const vaultId = await createVault(web.stack);
    const { path: healthyPath } = await web.addWebhook(vaultId);
    const { path: failingPath } = await web.addWebhook(vaultId);
    const { path: hangingPath } = await web.addWebhook(vaultId);
    web.receiver.script(failingPath, [503]);
    web.receiver.setAnswer(hangingPath, 'hang');
    await runJob(web.stack, vaultId, { entityName: 'vm-fan' });
    const [healthy] = web.receiver.callsTo(healthyPath);
    const [hanging] = web.receiver.callsTo(hangingPath);
    expect(healthy).toBeDefined();
    expect(hanging).toBeDefined();
    // Sent together, not one after another.
    expect(Math.abs(healthy!.at - hanging!.at)).toBeLessThan(1_000);

    const rows = await raisedDeliveries(vaultId);
    const of = (path: string) => rows.find((r) => r.target === web.receiver.url(path))!;
    expect(of(healthyPath)).toMatchObject({ status: 'Delivered', attempts: 1 });
    await expect(describeDelivery(of(healthyPath).id)).rejects.toBeInstanceOf(WorkflowNotFoundError);
    // The 503 is retried by its workflow and delivered on its second attempt, under the same id.
    await eventually(async () => (await raisedDeliveries(vaultId)).find((r) => r.id === of(failingPath).id)?.status === 'Delivered', 'the retry of the 503');
    // The row says Delivered a moment before the workflow closes: its result is the proof.
    expect(await web.stack.client.workflow.getHandle(`delivery/${of(failingPath).id}`).result()).toEqual({ status: 'Delivered', attempts: 2 });
    const retried = web.receiver.callsTo(failingPath);
    expect(retried.map((c) => c.answered)).toEqual([503, 200]);
    expect(new Set(retried.map((c) => c.headers['webhook-id']))).toEqual(new Set([of(failingPath).id]));
    // The hanging one stays Pending with a workflow of its own waiting to retry it.
    expect((await raisedDeliveries(vaultId)).find((r) => r.id === of(hangingPath).id)?.status).toBe('Pending');
    expect((await describeDelivery(of(hangingPath).id)).status.name).toBe('RUNNING');
  }, 60_000);
});
