// One vault under a burst: 10,000 alerts in one digest window and 10,000 Pending deliveries. The
// vault workflow carries only window ends, so its history and continue-as-new input stay small.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alerts, deliveries, digestEntries, digestWindows, notificationSettings } from '../../db/schema';
import { digestWindow } from '../../domain/digest';
import { vaultWorkflowStart } from '../../notifications/dispatch';
import { digestDueSignal, VAULT_NOTIFICATIONS_WORKFLOW, vaultNotificationsWorkflowId } from '../../workflows/definitions';
import { createVault, eventually, startStack, type Stack } from '../support/stack';

const INTERVAL_MS = 4_000;
const ALERTS = 10_000;
let stack: Stack;
beforeAll(async () => { stack = await startStack({ digestIntervalMs: INTERVAL_MS }); });
afterAll(() => stack?.close());

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += 1_000) await insert(rows.slice(i, i + 1_000));
}

describe('one vault with 10,000 alerts and 10,000 Pending deliveries', () => {
  it('digests every alert in one email per recipient; continue-as-new input stays far below 256 KB', async () => {
    const vaultId = await createVault(stack);
    await stack.db.insert(notificationSettings).values({
      vaultId, enabled: true, recipients: ['ops@contoso.com', { address: 'cto@contoso.com', minSeverity: 'Critical' }], frequency: 'HourlyDigest', digestIntervalMs: INTERVAL_MS,
    });
    const raisedAt = new Date();
    const window = digestWindow(raisedAt.getTime() + INTERVAL_MS, INTERVAL_MS); // the next window: it ends in 4-8 s
    const rows = Array.from({ length: ALERTS }, (_, i) => ({
      id: randomUUID(), vaultId, scenario: 'BackupFailure', severity: i % 10 ? 'Warning' : 'Critical', status: 'Active',
      workloadType: 'AzureVM', entityName: `vm-${i}`, jobId: `job-${i}`, latestJobId: `job-${i}`, raisedAt, lastOccurredAt: raisedAt,
    }));
    await insertChunked(rows, (chunk) => stack.db.insert(alerts).values(chunk));
    await insertChunked(rows, (chunk) => stack.db.insert(digestEntries).values(chunk.map((a) => ({ vaultId, windowStart: new Date(window.startMs), alertId: a.id }))));
    await stack.db.insert(digestWindows).values({ vaultId, windowStart: new Date(window.startMs), windowEnd: new Date(window.endMs) });
    // A provider outage's backlog: Pending rows that are being retried (attempted, so the sweeper leaves them).
    await insertChunked(rows, (chunk) => stack.db.insert(deliveries).values(chunk.map((a) => ({
      dedupKey: `backlog:${a.id}`, vaultId, channel: 'email', target: 'ops@contoso.com', event: 'alert.raised', alertId: a.id,
      alertIds: [a.id], status: 'Pending', attempts: 3, lastAttemptAt: new Date(), lastError: 'Resend 500 failed',
    }))));

    // Many wake-ups, most of them for later windows, and a small history bound force continue-as-new.
    const start = vaultWorkflowStart(stack.taskQueue, vaultId);
    const args: [{ vaultId: string; maxHistoryEvents: number }] = [{ vaultId, maxHistoryEvents: 40 }];
    const signal = (windowEndMs: number) => stack.client.workflow.signalWithStart(VAULT_NOTIFICATIONS_WORKFLOW, {
      ...start, args, signal: digestDueSignal, signalArgs: [{ windowEndMs }],
    });
    await signal(window.endMs);
    for (let k = 1; k <= 60; k++) await signal(window.endMs + k * 3_600_000);

    const digests = await eventually(async () => {
      const found = await stack.sql`select target, status, jsonb_array_length(alert_ids) as n, created_at from deliveries where vault_id = ${vaultId} and event = 'digest'`;
      return found.length === 2 && found.every((d) => d.status === 'Delivered') ? found : null;
    }, 'both digests delivered', 60_000);
    expect(Object.fromEntries(digests.map((d) => [d.target, d.n]))).toEqual({ 'ops@contoso.com': ALERTS, 'cto@contoso.com': ALERTS / 10 });
    // Out within 10 s of the window's end.
    for (const d of digests) expect(new Date(d.created_at).getTime() - window.endMs).toBeLessThan(10_000);
    const mail = stack.resend.deliveries.filter((d) => d.text?.includes(vaultId));
    expect(mail).toHaveLength(2);

    const runs = await eventually(async () => {
      const found: { runId: string; status: string; historyLength: number }[] = [];
      for await (const run of stack.client.workflow.list({ query: `WorkflowId = "${vaultNotificationsWorkflowId(vaultId)}"` })) {
        found.push({ runId: run.runId, status: run.status.name, historyLength: run.historyLength });
      }
      return found.some((r) => r.status === 'CONTINUED_AS_NEW') && found.some((r) => r.status === 'RUNNING') ? found : null;
    }, 'a continued-as-new run', 30_000);
    for (const run of runs) expect(run.historyLength).toBeLessThan(500);
    const current = runs.find((r) => r.status === 'RUNNING')!;
    const history = await stack.client.workflow.getHandle(vaultNotificationsWorkflowId(vaultId), current.runId).fetchHistory();
    const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads!;
    const bytes = input.reduce((sum, p) => sum + (p.data?.length ?? 0), 0);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(256 * 1024);
    expect(bytes).toBeLessThan(4 * 1024); // a list of window ends, whatever the backlog
    await stack.sql`delete from deliveries where vault_id = ${vaultId} and dedup_key like 'backlog:%'`; // the DB is shared by test files
  }, 180_000);
});
