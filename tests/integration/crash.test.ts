import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsOf } from '../support/jobs';
import { createVault, eventually, startStack, TEST_ADMIN_TOKEN, type Stack } from '../support/stack';

// Real worker processes, killed with SIGKILL: nothing gets to clean up.
let stack: Stack;
beforeAll(async () => { stack = await startStack({ inProcessWorker: false, readYourWritesMs: 200 }); });
afterAll(() => stack?.close());

const kill = async (child: ChildProcess) => {
  child.kill('SIGKILL');
  await eventually(async () => child.exitCode !== null || child.signalCode !== null, 'worker to die');
};
const mailOf = (vaultId: string) => stack.resend.deliveries.filter((d) => d.text?.includes(vaultId));

async function perAlertVault() {
  const vaultId = await createVault(stack);
  await stack.api('PUT', `/v1/vaults/${vaultId}/notification-settings`, { enabled: true, recipients: ['ops@contoso.com'], frequency: 'PerAlert' });
  return vaultId;
}

describe('worker killed mid-flight', () => {
  it('a completion accepted while workers are down, then a kill right after the job ends: one alert, one email', async () => {
    const vaultId = await perAlertVault();
    const started = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, { workloadType: 'AzureVM', operation: 'Backup', trigger: 'User', entityName: 'vm-crash' });
    expect(started.status).toBe(201);
    const jobId = started.body.id;
    // No worker runs: the outcome is still accepted, durably.
    const completed = await stack.api('POST', `/v1/vaults/${vaultId}/jobs/${jobId}/complete`, { status: 'Failed', errorCode: 'UserErrorDiskFull' });
    expect(completed.status).toBe(202);

    const first = await stack.spawnWorker();
    await eventually(async () => (await stack.sql`select status from jobs where vault_id = ${vaultId} and id = ${jobId}`)[0]?.status === 'Failed', 'job to end', 30_000);
    await kill(first); // between the job's end and (most likely) its alert
    await stack.spawnWorker();
    await stack.client.workflow.getHandle(`backup-job/${vaultId}/${jobId}`).result();

    const alerts = await alertsOf(stack, vaultId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ jobId, occurrences: 1, scenario: 'BackupFailure' });
    await eventually(async () => mailOf(vaultId).some((d) => d.text?.includes('vm-crash')), 'alert email', 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(mailOf(vaultId).filter((d) => d.text?.includes('vm-crash'))).toHaveLength(1);
  }, 120_000);

  it('a kill after the provider accepted an email but before the delivery log recorded it: still one email', async () => {
    const vaultId = await perAlertVault();
    const worker = await stack.spawnWorker();
    await eventually(async () => mailOf(vaultId).length === 1, 'welcome');
    await eventually(async () => (await stack.sql`select count(*)::int as n from deliveries where status = 'Pending' and vault_id = any(${[...stack.vaults]})`)[0]!.n === 0, 'delivery log to drain', 60_000);
    stack.resend.script(['accept-then-hang']);
    const started = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, { workloadType: 'AzureVM', operation: 'Backup', trigger: 'User', entityName: 'vm-accepted' });
    await stack.api('POST', `/v1/vaults/${vaultId}/jobs/${started.body.id}/complete`, { status: 'Failed' });
    await eventually(async () => mailOf(vaultId).some((d) => d.text?.includes('vm-accepted')), 'the provider to accept the email', 30_000);
    const [row] = await stack.sql`select status, in_flight_since from deliveries where vault_id = ${vaultId} and event = 'alert.raised'`;
    expect(row!.status).toBe('Pending');
    expect(row!.in_flight_since).not.toBeNull(); // the log knows an attempt is out with an unknown outcome
    await kill(worker);
    await stack.spawnWorker();
    await eventually(async () => (await stack.sql`select status from deliveries where vault_id = ${vaultId} and event = 'alert.raised'`)[0]!.status === 'Delivered', 'the log to record the send', 90_000);
    expect(mailOf(vaultId).filter((d) => d.text?.includes('vm-accepted'))).toHaveLength(1);
    const keys = stack.resend.requests.filter((r) => JSON.stringify(r.body).includes('vm-accepted')).map((r) => r.idempotencyKey);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(keys).size).toBe(1);
  }, 150_000);
});

describe('rolling restart and secrets', () => {
  it('a SIGTERM drains the worker: jobs in flight finish on the next one, once', async () => {
    const vaultId = await perAlertVault();
    const old = await stack.spawnWorker();
    await eventually(async () => mailOf(vaultId).length === 1, 'welcome');
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const started = await stack.api('POST', `/v1/vaults/${vaultId}/jobs`, { workloadType: 'MAB', operation: 'Backup', trigger: 'User', entityName: `server-${i}` });
      ids.push(started.body.id);
    }
    await Promise.all(ids.map((id) => stack.api('POST', `/v1/vaults/${vaultId}/jobs/${id}/complete`, { status: 'Failed', errorCode: 'ServerUnreachable' })));
    old.kill('SIGTERM');
    const next = await stack.spawnWorker();
    await eventually(async () => old.exitCode !== null, 'old worker to drain and exit', 40_000);
    expect(old.exitCode).toBe(0);
    await Promise.all(ids.map((id) => stack.client.workflow.getHandle(`backup-job/${vaultId}/${id}`).result()));
    await eventually(async () => mailOf(vaultId).length === 21, '20 alert emails', 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(mailOf(vaultId)).toHaveLength(21);
    expect(await alertsOf(stack, vaultId)).toHaveLength(20);

    // No provider key in workflow histories or in what the workers logged.
    const secret = 're_test_key';
    for (const id of ids.slice(0, 5)) {
      const history = await stack.client.workflow.getHandle(`backup-job/${vaultId}/${id}`).fetchHistory();
      expect(JSON.stringify(history)).not.toContain(secret);
    }
    // Alert emails are sent by the raise itself (no workflow when the first attempt succeeds); the
    // welcome goes through a delivery workflow.
    const [delivered] = await stack.sql`select id from deliveries where vault_id = ${vaultId} and event = 'welcome' limit 1`;
    const deliveryHistory = await stack.client.workflow.getHandle(`delivery/${delivered!.id}`).fetchHistory();
    expect(JSON.stringify(deliveryHistory)).not.toContain(secret);
    expect(old.output() + next.output()).not.toContain(secret);
    // Nor the bootstrap API token the workers were started with (§7: tokens never reach logs).
    expect(old.output() + next.output()).not.toContain(TEST_ADMIN_TOKEN);
  }, 150_000);
});
