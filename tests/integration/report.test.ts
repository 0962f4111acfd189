// The §2.8 report against Postgres: a seeded vault whose expected figures are computed here, in
// plain TypeScript over the same rows, independently of the SQL (rollup, edges, indexes).
import type { Client } from '@temporalio/client';
import { eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { connectDb, type DbHandle } from '../../db/client';
import { alerts, items, jobs, vaults } from '../../db/schema';
import { vaultReport } from '../../readmodel/report';
import { testEnv } from '../support/env';
import { TEST_ADMIN_TOKEN, uniqueVaultId } from '../support/stack';

const H = 3_600_000;
const D = 24 * H;
const FROM = new Date('2026-11-10T06:00:00.000Z');
const TO = new Date('2026-11-17T06:00:00.000Z');
const TERMINAL = ['Completed', 'CompletedWithWarnings', 'Failed', 'Cancelled'] as const;
const STATUSES = [...TERMINAL, 'InProgress'] as const;
const OPERATIONS = ['Backup', 'Backup', 'Backup', 'Restore', 'ConfigureBackup', 'DeleteBackupData'] as const;
const ITEMS = [['AzureVM', 'vm-01'], ['AzureVM', 'vm-02'], ['AzureFiles', 'share-01'], ['AzureWorkload', 'sql-01/db1'], ['MAB', 'srv-01']] as const;

/** A small deterministic generator, so a failure reproduces. */
function rng(seed: number) {
  let state = seed >>> 0;
  return () => ((state = (state * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32);
}

type JobRow = typeof jobs.$inferInsert;
type AlertRow = typeof alerts.$inferInsert;

function makeJobs(vaultId: string): JobRow[] {
  const random = rng(7);
  const rows: JobRow[] = [];
  const add = (startedAt: Date, over: Partial<JobRow> = {}) => {
    const [workloadType, entityName] = ITEMS[Math.floor(random() * ITEMS.length)]!;
    const trigger = random() < 0.7 ? 'Scheduled' : 'User';
    rows.push({
      vaultId, id: `j-${rows.length}`, workloadType, entityName, trigger,
      operation: OPERATIONS[Math.floor(random() * OPERATIONS.length)]!, status: STATUSES[Math.floor(random() * STATUSES.length)]!,
      listed: !(workloadType === 'AzureWorkload' && trigger === 'Scheduled'), startedAt, ...over,
    });
  };
  // Two days either side of the period, so out-of-period rows exist on both ends.
  for (let i = 0; i < 600; i++) add(new Date(FROM.getTime() - 2 * D + random() * (TO.getTime() - FROM.getTime() + 4 * D)));
  // Boundaries: from is in, to is out; the last millisecond of a UTC day and the first of the next.
  add(FROM, { status: 'Failed', operation: 'Backup' });
  add(TO, { status: 'Failed', operation: 'Backup' });
  add(new Date('2026-11-12T23:59:59.999Z'), { status: 'Completed', operation: 'Backup' });
  add(new Date('2026-11-13T00:00:00.000Z'), { status: 'Cancelled', operation: 'Backup' });
  // Scheduled SQL log backups: never listed, always counted.
  for (let i = 0; i < 20; i++) {
    add(new Date(FROM.getTime() + D + i * 15 * 60_000), {
      workloadType: 'AzureWorkload', entityName: 'sql-01/db1', trigger: 'Scheduled', listed: false, operation: 'Backup', status: i % 4 === 0 ? 'Failed' : 'Completed',
    });
  }
  return rows;
}

function makeAlerts(vaultId: string): AlertRow[] {
  const random = rng(11);
  const scenarios = [['BackupFailure', 'Critical'], ['BackupSucceededWithWarnings', 'Warning'], ['BackupMissed', 'Critical'], ['DeleteBackupData', 'Critical']] as const;
  return Array.from({ length: 80 }, (_, i) => {
    const [scenario, severity] = scenarios[i % scenarios.length]!;
    const [workloadType, entityName] = ITEMS[Math.floor(random() * ITEMS.length)]!;
    const raisedAt = new Date(FROM.getTime() - D + random() * (TO.getTime() - FROM.getTime() + 2 * D));
    const resolved = random() < 0.5;
    const inactivatedAt = resolved ? new Date(raisedAt.getTime() + Math.floor(random() * 10 * H)) : null;
    return {
      vaultId, scenario, severity, status: resolved ? 'Inactive' : 'Active', workloadType, entityName, jobId: `a-${i}`, latestJobId: `a-${i}`,
      raisedAt, lastOccurredAt: raisedAt, inactivatedAt, resolution: resolved ? 'Manual' : null, inactivatedBy: resolved ? 'admin' : null,
      occurrences: 1 + (i % 3),
    };
  });
}

const within = (at: Date) => at.getTime() >= FROM.getTime() && at.getTime() < TO.getTime();
const rank = <T extends { workloadType: string; entityName: string }>(key: keyof T) => (a: T, b: T) =>
  (b[key] as number) - (a[key] as number) || a.workloadType.localeCompare(b.workloadType) || a.entityName.localeCompare(b.entityName);

function expectedReport(vaultId: string, jobRows: JobRow[], alertRows: AlertRow[], itemRows: (typeof items.$inferInsert)[]) {
  const finished = jobRows.filter((j) => within(j.startedAt) && j.status !== 'InProgress');
  const days: string[] = [];
  for (let t = Date.UTC(2026, 10, 10); t < TO.getTime(); t += D) days.push(new Date(t).toISOString().slice(0, 10));
  const jobsByDay = days.map((day) => {
    const of = finished.filter((j) => j.startedAt.toISOString().slice(0, 10) === day);
    return { day, ...Object.fromEntries(TERMINAL.map((s) => [s, of.filter((j) => j.status === s).length])) };
  });
  const backups = finished.filter((j) => j.operation === 'Backup' && j.status !== 'Cancelled');
  const failures = new Map<string, { workloadType: string; entityName: string; failures: number }>();
  for (const job of backups.filter((j) => j.status === 'Failed')) {
    const key = `${job.workloadType}/${job.entityName}`;
    failures.set(key, { workloadType: job.workloadType, entityName: job.entityName, failures: (failures.get(key)?.failures ?? 0) + 1 });
  }
  const raised = alertRows.filter((a) => within(a.raisedAt));
  const resolved = raised.filter((a) => a.inactivatedAt);
  const misses = new Map<string, { workloadType: string; entityName: string; misses: number }>();
  for (const alert of raised.filter((a) => a.scenario === 'BackupMissed')) {
    const key = `${alert.workloadType}/${alert.entityName}`;
    misses.set(key, { workloadType: alert.workloadType, entityName: alert.entityName, misses: (misses.get(key)?.misses ?? 0) + 1 });
  }
  const byScenario: Record<string, number> = {};
  for (const alert of raised) byScenario[alert.scenario] = (byScenario[alert.scenario] ?? 0) + 1;
  const health = (i: (typeof itemRows)[number]) => (i.openCritical ?? 0) > 0 ? 'Critical' : (i.openWarning ?? 0) > 0 ? 'Warning'
    : ['Completed', 'CompletedWithWarnings'].includes(i.lastBackupStatus ?? '') ? 'Healthy' : 'Unknown';
  return {
    vaultId, from: FROM.toISOString(), to: TO.toISOString(), jobsByDay,
    successRate: backups.length ? backups.filter((j) => j.status !== 'Failed').length / backups.length : null,
    itemsByHealth: Object.fromEntries(['Healthy', 'Warning', 'Critical', 'Unknown'].map((h) => [h, itemRows.filter((i) => health(i) === h).length])),
    missedItems: [...misses.values()].sort(rank('misses')),
    alertsBySeverity: Object.fromEntries(['Critical', 'Warning', 'Informational'].map((s) => [s, raised.filter((a) => a.severity === s).length])),
    alertsByScenario: byScenario,
    meanTimeToResolveMs: resolved.length
      ? Math.round(resolved.reduce((sum, a) => sum + a.inactivatedAt!.getTime() - a.raisedAt.getTime(), 0) / resolved.length) : null,
    topFailingItems: [...failures.values()].sort(rank('failures')).slice(0, 10),
  };
}

let database: DbHandle;
beforeAll(() => { database = connectDb(testEnv().databaseUrl, { max: 6 }); });
afterAll(() => database?.close());

describe('vaultReport', () => {
  const vaultId = uniqueVaultId('report');
  let jobRows: JobRow[];
  let alertRows: AlertRow[];
  const itemRows = [
    { workloadType: 'AzureVM', entityName: 'vm-01', lastBackupStatus: 'Completed' },
    { workloadType: 'AzureVM', entityName: 'vm-02', lastBackupStatus: 'Failed', openCritical: 1 },
    { workloadType: 'AzureFiles', entityName: 'share-01', lastBackupStatus: 'CompletedWithWarnings', openWarning: 2 },
    { workloadType: 'AzureWorkload', entityName: 'sql-01/db1', lastBackupStatus: 'CompletedWithWarnings' },
    { workloadType: 'MAB', entityName: 'srv-01', lastBackupStatus: null },
    { workloadType: 'MAB', entityName: 'srv-02', lastBackupStatus: 'Failed' },
  ].map((row) => ({ vaultId, ...row }));

  beforeAll(async () => {
    const { db } = database;
    await db.insert(vaults).values({ id: vaultId, contacts: { owners: [], admins: [], coAdmins: [] } });
    jobRows = makeJobs(vaultId);
    // Some jobs arrive InProgress and finish later, some are deleted: the rollup must follow both.
    const later = jobRows.filter((_, i) => i % 5 === 0);
    await db.insert(jobs).values(jobRows.map((j, i) => (i % 5 === 0 ? { ...j, status: 'InProgress' } : j)));
    for (const job of later) await db.update(jobs).set({ status: job.status }).where(sql`${jobs.vaultId} = ${vaultId} and ${jobs.id} = ${job.id}`);
    const removed = jobRows.filter((_, i) => i % 17 === 3);
    await db.delete(jobs).where(sql`${jobs.vaultId} = ${vaultId} and ${jobs.id} in ${removed.map((j) => j.id)}`);
    jobRows = jobRows.filter((j) => !removed.includes(j));
    alertRows = makeAlerts(vaultId);
    // Alerts before items, so the open-count trigger leaves the seeded counts as written.
    await db.insert(alerts).values(alertRows);
    await db.insert(items).values(itemRows);
  });

  it('matches figures computed independently from the seeded rows', async () => {
    const report = await vaultReport(database.db, vaultId, FROM, TO);
    const expected = expectedReport(vaultId, jobRows, alertRows, itemRows);
    expect(report.jobsByDay).toHaveLength(8); // 10 Nov 06:00 to 17 Nov 06:00 touches eight UTC days
    expect(report).toEqual(expected);
    // The seed exercises what it claims to: scheduled SQL jobs, cancellations, every health.
    expect(report.successRate).toBeGreaterThan(0);
    expect(report.successRate).toBeLessThan(1);
    expect(report.topFailingItems.length).toBeGreaterThan(1);
    expect(report.itemsByHealth).toEqual({ Healthy: 2, Warning: 1, Critical: 1, Unknown: 2 });
  });

  it('counts the boundary jobs on the right side and on the right UTC day', async () => {
    const report = await vaultReport(database.db, vaultId, new Date('2026-11-12T23:59:59.999Z'), new Date('2026-11-13T00:00:00.001Z'));
    const twelfth = report.jobsByDay.find((d) => d.day === '2026-11-12')!;
    const thirteenth = report.jobsByDay.find((d) => d.day === '2026-11-13')!;
    const at = (iso: string, status: string) => jobRows.filter((j) => j.startedAt.toISOString() === iso && j.status === status).length;
    expect(twelfth.Completed).toBe(at('2026-11-12T23:59:59.999Z', 'Completed'));
    expect(thirteenth.Cancelled).toBe(at('2026-11-13T00:00:00.000Z', 'Cancelled'));
    expect(twelfth.Completed + thirteenth.Cancelled).toBeGreaterThanOrEqual(2);
  });

  it('answers any sub-period the same way whether days come from the rollup or the jobs', async () => {
    // Day-aligned (all rollup) against an unaligned period covering the same jobs (all edges).
    const aligned = await vaultReport(database.db, vaultId, new Date('2026-11-11T00:00:00Z'), new Date('2026-11-14T00:00:00Z'));
    const direct = await database.db.execute<{ day: string; status: string; n: number }>(sql`
      select to_char(started_at at time zone 'UTC', 'YYYY-MM-DD') as day, status, count(*)::int as n from jobs
      where vault_id = ${vaultId} and started_at >= '2026-11-11T00:00:00Z' and started_at < '2026-11-14T00:00:00Z' and status <> 'InProgress'
      group by 1, 2`);
    for (const row of direct) expect(aligned.jobsByDay.find((d) => d.day === row.day)![row.status as 'Failed']).toBe(row.n);
    expect(aligned.jobsByDay.map((d) => d.day)).toEqual(['2026-11-11', '2026-11-12', '2026-11-13']);
  });

  it('is empty, not an error, for a vault with nothing in the period', async () => {
    const report = await vaultReport(database.db, vaultId, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-03T00:00:00Z'));
    expect(report).toMatchObject({
      successRate: null, meanTimeToResolveMs: null, missedItems: [], topFailingItems: [], alertsByScenario: {},
      alertsBySeverity: { Critical: 0, Warning: 0, Informational: 0 },
    });
    expect(report.jobsByDay).toEqual([
      { day: '2020-01-01', Completed: 0, CompletedWithWarnings: 0, Failed: 0, Cancelled: 0 },
      { day: '2020-01-02', Completed: 0, CompletedWithWarnings: 0, Failed: 0, Cancelled: 0 },
    ]);
  });

  describe('GET /v1/vaults/{vaultId}/report', () => {
    const now = new Date('2026-11-17T06:00:00.000Z');
    let app: ReturnType<typeof createApp>;
    beforeAll(() => {
      app = createApp({
        db: database.db, temporal: {} as Client, taskQueue: 'unused', jobTimeoutMs: 1, digestIntervalMs: 1, log: pino({ level: 'silent' }), now: () => now, adminToken: TEST_ADMIN_TOKEN,
      });
    });
    const get = async (path: string) => {
      const response = await app.request(path, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
      return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.json() as any };
    };

    it('defaults to the last 7 days and answers the same report', async () => {
      const { status, body } = await get(`/v1/vaults/${vaultId}/report`);
      expect(status).toBe(200);
      expect(body).toEqual(expectedReport(vaultId, jobRows, alertRows, itemRows));
      const explicit = await get(`/v1/vaults/${vaultId}/report?from=${FROM.toISOString()}&to=${TO.toISOString()}`);
      expect(explicit.body).toEqual(body);
    });

    it.each([
      ['from after to', '?from=2026-11-10T00:00:00Z&to=2026-11-09T00:00:00Z', /after/],
      ['more than 90 days', '?from=2026-08-01T00:00:00Z&to=2026-11-01T00:00:00Z', /90 days/],
      ['a bad timestamp', '?from=yesterday', /from/],
      ['a date without time', '?to=2026-11-10', /to/],
    ])('answers 400 for %s', async (_, query, detail) => {
      const { status, type, body } = await get(`/v1/vaults/${vaultId}/report${query}`);
      expect(status).toBe(400);
      expect(type).toContain('application/problem+json');
      expect(body.status).toBe(400);
      expect(body.detail).toMatch(detail);
    });

    it('accepts exactly 90 days and an empty period', async () => {
      expect((await get(`/v1/vaults/${vaultId}/report?from=2026-08-19T06:00:00Z&to=2026-11-17T06:00:00Z`)).status).toBe(200);
      const empty = await get(`/v1/vaults/${vaultId}/report?from=2026-11-10T06:00:00Z&to=2026-11-10T06:00:00Z`);
      expect(empty.status).toBe(200);
      expect(empty.body.jobsByDay).toEqual([]);
    });

    it('never answers 5xx, whatever from and to say', async () => {
      const stamp = fc.oneof(
        fc.string(), fc.constantFrom('', '0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '1969-12-31T00:00:00Z', '2026-02-30T00:00:00Z', 'now'),
        fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()),
      );
      await fc.assert(fc.asyncProperty(fc.option(stamp, { nil: undefined }), fc.option(stamp, { nil: undefined }), async (from, to) => {
        const query = new URLSearchParams({ ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) });
        const { status, type } = await get(`/v1/vaults/${vaultId}/report?${query}`);
        expect(status === 200 || status === 400, `${status} for ${query}`).toBe(true);
        if (status === 400) expect(type).toContain('application/problem+json');
      }), { numRuns: 150 });
    });

    it('answers 404 for an unknown vault', async () => {
      const { status, body } = await get(`/v1/vaults/nope-${vaultId}/report`);
      expect(status).toBe(404);
      expect(body.detail).toContain(`nope-${vaultId}`);
    });
  });

  it('keeps the rollup equal to the jobs it summarises', async () => {
    const rows = await database.db.execute<{ mismatches: number }>(sql`
      select count(*)::int as mismatches from (
        select (started_at at time zone 'UTC')::date as day, operation, status, count(*) as n from jobs
        where vault_id = ${vaultId} and status <> 'InProgress' group by 1, 2, 3
      ) j full join (select day, operation, status, count as n from job_day_counts where vault_id = ${vaultId} and count <> 0) c
        using (day, operation, status)
      where j.n is distinct from c.n`);
    expect(rows[0]!.mismatches).toBe(0);
    expect((await database.db.select().from(jobs).where(eq(jobs.vaultId, vaultId))).length).toBe(jobRows.length);
  });
});
