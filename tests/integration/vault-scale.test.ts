import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vaultNotificationsStart } from '../../activities/vault-signals';
import { alerts, notificationSettings } from '../../db/schema';
import { alertRaisedSignal, VAULT_NOTIFICATIONS_WORKFLOW, vaultNotificationsWorkflowId, type RaisedAlert } from '../../workflows/definitions';
import { createVault, eventually, startStack, type Stack } from '../support/stack';

const INTERVAL_MS = 4_000;
const ALERTS = 5_000;
const MAX_EVENTS = 3_000;
let stack: Stack;
beforeAll(async () => { stack = await startStack({ digestIntervalMs: INTERVAL_MS }); });
afterAll(() => stack?.close());

describe('one vault receiving 5,000 alerts', () => {
  it('keeps every alert across continue-as-new, with bounded history per run', async () => {
    const vaultId = await createVault(stack);
    await stack.db.insert(notificationSettings).values({ vaultId, enabled: true, recipients: ['ops@contoso.com'], frequency: 'HourlyDigest' });
    const raisedAt = new Date();
    const rows = Array.from({ length: ALERTS }, (_, i) => ({
      id: randomUUID(), vaultId, scenario: 'BackupFailure', severity: i % 10 ? 'Warning' : 'Critical', status: 'Active',
      workloadType: 'AzureVM', entityName: `vm-${i}`, jobId: `job-${i}`, latestJobId: `job-${i}`, raisedAt, lastOccurredAt: raisedAt,
    }));
    for (let i = 0; i < rows.length; i += 1_000) await stack.db.insert(alerts).values(rows.slice(i, i + 1_000));

    const start = vaultNotificationsStart({ taskQueue: stack.taskQueue, digestIntervalMs: INTERVAL_MS }, vaultId);
    start.args[0].maxHistoryEvents = MAX_EVENTS;
    const signal = (row: (typeof rows)[number]) => {
      const alert: RaisedAlert = { alertId: row.id, scenario: 'BackupFailure', severity: row.severity as 'Warning', destructive: false, isNew: true, raisedAt: raisedAt.toISOString() };
      return stack.client.workflow.signalWithStart(VAULT_NOTIFICATIONS_WORKFLOW, { ...start, signal: alertRaisedSignal, signalArgs: [alert] });
    };
    // 25 services signalling at once: a busy vault, not a synthetic flood that starves the machine.
    for (let i = 0; i < rows.length; i += 25) await Promise.all(rows.slice(i, i + 25).map(signal));

    // Every alert leaves in a digest exactly once (late arrivals for a closed window go in another one).
    const sent = await eventually(async () => {
      const digests = await stack.sql`select alert_ids from email_outbox where vault_id = ${vaultId} and kind = 'digest' and status = 'Sent'`;
      const ids = digests.flatMap((d) => d.alert_ids as string[]);
      return ids.length >= ALERTS ? ids : null;
    }, 'all alerts digested', 120_000).catch(async (error) => {
      const digests = await stack.sql`select status, attempts, last_error, jsonb_array_length(alert_ids) as n from email_outbox where vault_id = ${vaultId}`;
      console.error('outbox', digests, 'deliveries', stack.resend.deliveries.length);
      for await (const run of stack.client.workflow.list({ query: `WorkflowId = "${vaultNotificationsWorkflowId(vaultId)}"` })) {
        console.error('run', run.runId, run.status.name, run.historyLength);
      }
      const history = await stack.client.workflow.getHandle(vaultNotificationsWorkflowId(vaultId)).fetchHistory();
      console.error(history.events!.filter((e) => !e.workflowExecutionSignaledEventAttributes).slice(-15).map((e) => `${e.eventId} ${e.eventType} ${JSON.stringify(e.workflowTaskFailedEventAttributes?.failure?.message ?? e.timerStartedEventAttributes?.startToFireTimeout ?? '')}`));
      throw error;
    });
    expect(sent).toHaveLength(ALERTS);
    expect(new Set(sent).size).toBe(ALERTS);

    const runs = await eventually(async () => {
      const found: { runId: string; status: string; historyLength: number }[] = [];
      for await (const run of stack.client.workflow.list({ query: `WorkflowId = "${vaultNotificationsWorkflowId(vaultId)}"` })) {
        found.push({ runId: run.runId, status: run.status.name, historyLength: run.historyLength });
      }
      return found.some((r) => r.status === 'CONTINUED_AS_NEW') ? found : null;
    }, 'a continued-as-new run', 30_000);
    // Continue-as-new cannot complete while signals keep arriving, so a run may pass the bound by
    // what arrives meanwhile; it stays far below Temporal's 50K-event limit.
    for (const run of runs) expect(run.historyLength).toBeLessThan(10_000);
    const [current] = await stack.client.workflow.getHandle(vaultNotificationsWorkflowId(vaultId)).describe().then((d) => [d]);
    expect(current!.status.name).toBe('RUNNING');
  }, 240_000);
});
