// The periodic report (§2.8): deliveries planned once per period and recipient, at the DB level
// (the activity) and end to end through the durable timer workflow with a seconds-long period.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportDedupKey, createReportActivities } from '../../activities/reports';
import { startWeeklyReports } from '../../activities/report-start';
import { deliveries, jobDayCounts, jobs, notificationSettings, vaults } from '../../db/schema';
import { reportPeriodAt } from '../../domain/report-period';
import { vaultReportWorkflowId } from '../../workflows/report-definitions';
import { runJob } from '../support/jobs';
import { eventually, startStack, uniqueVaultId, type Stack } from '../support/stack';

const WEEK = 7 * 86_400_000;
let stack: Stack;
const REPORT_MS = 3_000;
beforeAll(async () => { stack = await startStack({ reportIntervalMs: REPORT_MS }); });
afterAll(() => stack?.close());

async function seedVault(vaultId: string, settings: Partial<typeof notificationSettings.$inferInsert> = {}) {
  await stack.db.insert(vaults).values({ id: vaultId, name: `Vault ${vaultId}`, contacts: { owners: [], admins: [], coAdmins: [] } });
  await stack.db.insert(notificationSettings).values({
    vaultId, enabled: true, frequency: 'PerAlert', weeklyReport: true,
    recipients: ['Ops@Contoso.com', { address: 'dba@contoso.com', minSeverity: 'Critical' }, 'ops@contoso.com'], ...settings,
  });
}
const reportRows = (vaultId: string) =>
  stack.db.select().from(deliveries).where(and(eq(deliveries.vaultId, vaultId), eq(deliveries.event, 'report')));

describe('sendPeriodReport', () => {
  const activities = () => createReportActivities({ db: stack.db, client: stack.client, taskQueue: stack.taskQueue, publicUrl: 'https://monitor.example.com', reportIntervalMs: WEEK });

  it('plans one email per recipient and period, once, with the period report as payload', async () => {
    const vaultId = uniqueVaultId('weekly');
    await seedVault(vaultId);
    await stack.db.insert(jobs).values([
      { vaultId, id: 'in-1', workloadType: 'AzureVM', operation: 'Backup', trigger: 'Scheduled', entityName: 'vm-01', status: 'Failed', listed: true, startedAt: new Date('2026-11-24T10:00:00Z') },
      { vaultId, id: 'in-2', workloadType: 'AzureWorkload', operation: 'Backup', trigger: 'Scheduled', entityName: 'sql/db', status: 'Completed', listed: false, startedAt: new Date('2026-11-29T23:59:59.999Z') },
      { vaultId, id: 'out', workloadType: 'AzureVM', operation: 'Backup', trigger: 'Scheduled', entityName: 'vm-01', status: 'Failed', listed: true, startedAt: new Date('2026-11-30T00:00:00Z') },
    ]);
    const due = '2026-11-30T00:00:00.000Z';
    const first = await activities().sendPeriodReport({ vaultId, due });
    expect(first).toEqual({ subscribed: true, planned: 2, nextDue: '2026-12-07T00:00:00.000Z' });
    const retried = await activities().sendPeriodReport({ vaultId, due });
    expect(retried.planned).toBe(0);

    const rows = await reportRows(vaultId);
    expect(rows.map((r) => r.target).sort()).toEqual(['Ops@Contoso.com', 'dba@contoso.com']);
    expect(rows.map((r) => r.dedupKey).sort()).toEqual([
      `report:${vaultId}:2026-11-23T00:00:00.000Z:dba@contoso.com`, `report:${vaultId}:2026-11-23T00:00:00.000Z:ops@contoso.com`,
    ]);
    for (const row of rows) {
      expect(row).toMatchObject({ channel: 'email', status: 'Pending', alertId: null });
      const payload = row.payload as { subject: string; html: string; text: string };
      // 23 Nov to 30 Nov: one failed and one completed backup (the scheduled SQL job counts).
      expect(payload.subject).toBe(`Backup report for vault Vault ${vaultId}, 2026-11-23 00:00 – 2026-11-30 00:00 UTC: 50.0 % backups succeeded, 0 alerts`);
      expect(payload.text).toContain('2026-11-24  0 / 0 / 1 / 0');
      expect(payload.text).toContain('2026-11-29  1 / 0 / 0 / 0');
      expect(payload.text).not.toMatch(/^  2026-11-30 /m);
      expect(payload.html).toContain('data-chart="jobs-by-day"');
    }

    const next = await activities().sendPeriodReport({ vaultId, due: first.nextDue });
    expect(next.planned).toBe(2);
    expect(await reportRows(vaultId)).toHaveLength(4);
  });

  it.each([
    ['weeklyReport is off', { weeklyReport: false }],
    ['notifications are disabled', { enabled: false }],
  ])('plans nothing and says unsubscribed when %s', async (_, settings) => {
    const vaultId = uniqueVaultId('weekly');
    await seedVault(vaultId, settings);
    const result = await activities().sendPeriodReport({ vaultId, due: '2026-11-30T00:00:00.000Z' });
    expect(result).toMatchObject({ subscribed: false, planned: 0 });
    expect(await reportRows(vaultId)).toHaveLength(0);
  });

  it('keys a period by its start', () => {
    expect(reportDedupKey('v', new Date('2026-11-23T00:00:00Z'), 'A@B.com')).toBe('report:v:2026-11-23T00:00:00.000Z:a@b.com');
  });
});

describe('the job_day_counts rollup on the workflows\' own writes', () => {
  it('counts a job once when it finishes, through the start insert and the finishing upsert', async () => {
    const vaultId = uniqueVaultId('rollup');
    await stack.api('PUT', `/v1/vaults/${vaultId}`, { name: vaultId });
    await runJob(stack, vaultId, { entityName: 'vm-01', outcome: { status: 'Failed', errorCode: 'UserErrorDiskFull', errorMessage: 'full' } });
    await runJob(stack, vaultId, { entityName: 'vm-02', outcome: { status: 'Completed' } });
    await runJob(stack, vaultId, { entityName: 'vm-03', outcome: 'cancel' });
    const rows = await stack.db.select().from(jobDayCounts).where(eq(jobDayCounts.vaultId, vaultId));
    expect(rows.map((r) => [r.operation, r.status, r.count]).sort()).toEqual([['Backup', 'Cancelled', 1], ['Backup', 'Completed', 1], ['Backup', 'Failed', 1]]);
    const report = (await stack.api('GET', `/v1/vaults/${vaultId}/report`)).body;
    expect(report.successRate).toBe(0.5);
    expect(report.topFailingItems).toEqual([{ workloadType: 'AzureVM', entityName: 'vm-01', failures: 1 }]);
  });
});

describe('the vaultReport workflow', () => {
  it('plans a report at the end of every period, once per recipient, and ends when reports are turned off', async () => {
    const vaultId = uniqueVaultId('weekly-wf');
    await seedVault(vaultId, { recipients: ['ops@contoso.com'] });
    await startWeeklyReports(stack.client, stack.taskQueue, vaultId);
    await startWeeklyReports(stack.client, stack.taskQueue, vaultId); // a second save: still one workflow
    const rows = await eventually(async () => {
      const found = await reportRows(vaultId);
      return found.length >= 2 ? found : null;
    }, 'two periodic reports', 20_000);
    const starts = rows.map((row) => row.dedupKey.split(':').slice(2, -1).join(':')).sort();
    expect(new Set(starts).size).toBe(rows.length); // one row per period
    for (const start of starts) expect(reportPeriodAt(new Date(start), REPORT_MS).start.toISOString()).toBe(start);
    expect(Date.parse(starts[1]!) - Date.parse(starts[0]!)).toBe(REPORT_MS);
    // Each planned report reaches the recipient, once, through the delivery log.
    await eventually(async () => stack.resend.deliveries.filter((d) => d.idempotencyKey && rows.some((r) => r.id === d.idempotencyKey)).length === rows.length, 'the report emails', 20_000);
    for (const row of rows) expect(stack.resend.deliveries.filter((d) => d.idempotencyKey === row.id)).toHaveLength(1);
    expect(stack.resend.deliveries.find((d) => d.idempotencyKey === rows[0]!.id)!.to).toEqual(['ops@contoso.com']);

    await stack.db.update(notificationSettings).set({ weeklyReport: false }).where(eq(notificationSettings.vaultId, vaultId));
    const handle = stack.client.workflow.getHandle(vaultReportWorkflowId(vaultId));
    await eventually(async () => (await handle.describe()).status.name === 'COMPLETED', 'the report workflow to end', 15_000);
    const settled = (await reportRows(vaultId)).length;
    await new Promise((resolve) => setTimeout(resolve, REPORT_MS + 500));
    expect(await reportRows(vaultId)).toHaveLength(settled);
  });
});
