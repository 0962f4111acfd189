import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertActivities } from '../../activities/alerts';
import { connectDb, type DbHandle } from '../../db/client';
import { alerts } from '../../db/schema';
import { evaluateAlert } from '../../domain/alert-rules';
import type { Job } from '../../domain/types';
import { testEnv } from '../support/env';
import { uniqueVaultId } from '../support/stack';

let database: DbHandle;
let activities: ReturnType<typeof createAlertActivities>;
beforeAll(() => {
  database = connectDb(testEnv().databaseUrl, { max: 20 });
  activities = createAlertActivities({ db: database.db });
});
afterAll(() => database?.close());

function failedJob(vaultId: string, id: string, over: Partial<Job> = {}): Job {
  return {
    id, vaultId, workloadType: 'AzureWorkload', operation: 'Backup', trigger: 'Scheduled', entityName: 'sql-01/db1',
    status: 'Failed', startedAt: new Date().toISOString(), endedAt: new Date().toISOString(), durationMs: 0,
    errorCode: 'UserErrorSqlLogFull', errorMessage: 'log full', warnings: [], ...over,
  };
}

function raise(job: Job) {
  const decision = evaluateAlert(job);
  if (!decision.raise) throw new Error('expected an alert');
  return activities.raiseAlert({ job, decision });
}

const vaultAlerts = (vaultId: string) => database.db.select().from(alerts).where(eq(alerts.vaultId, vaultId));

describe('raiseAlert against Postgres', () => {
  it('consolidates 20 concurrent occurrences of one root cause into one Active alert', async () => {
    const vaultId = uniqueVaultId();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => raise(failedJob(vaultId, `log-${i}`))));
    const rows = await vaultAlerts(vaultId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'Active', occurrences: 20, scenario: 'BackupFailure', severity: 'Critical' });
    expect(results.filter((r) => r.isNew)).toHaveLength(1);
    expect(new Set(results.map((r) => r.alertId))).toEqual(new Set([rows[0]!.id]));
    const firstJob = results.findIndex((r) => r.isNew);
    expect(rows[0]!.jobId).toBe(`log-${firstJob}`);
    expect(rows[0]!.latestJobId).toMatch(/^log-\d+$/);

    expect(await activities.markAlertInactive({ vaultId, alertId: rows[0]!.id, by: 'admin', at: new Date().toISOString() })).toBe(true);
    const next = await raise(failedJob(vaultId, 'log-next'));
    expect(next.isNew).toBe(true);
    expect(next.alertId).not.toBe(rows[0]!.id);
    const after = await vaultAlerts(vaultId);
    expect(after.map((a) => [a.status, a.occurrences]).sort()).toEqual([['Active', 1], ['Inactive', 20]]);
  });

  it('is idempotent per job: a retried activity neither counts twice nor opens a second alert', async () => {
    const vaultId = uniqueVaultId();
    const first = await raise(failedJob(vaultId, 'a'));
    const retry = await raise(failedJob(vaultId, 'a'));
    expect(retry).toEqual(first);
    const userJob = failedJob(vaultId, 'u', { trigger: 'User' });
    const u1 = await raise(userJob);
    const u2 = await raise(userJob);
    expect(u2.alertId).toBe(u1.alertId);
    const rows = await vaultAlerts(vaultId);
    expect(rows.map((r) => r.occurrences)).toEqual([1, 1]);
  });

  it('keeps separate alerts for other error codes, items and user-triggered jobs', async () => {
    const vaultId = uniqueVaultId();
    await raise(failedJob(vaultId, '1'));
    await raise(failedJob(vaultId, '2', { errorCode: 'OtherCode' }));
    await raise(failedJob(vaultId, '3', { entityName: 'sql-01/db2' }));
    await raise(failedJob(vaultId, '4', { trigger: 'User' }));
    await raise(failedJob(vaultId, '5', { trigger: 'User' }));
    await raise(failedJob(vaultId, '6'));
    const rows = await vaultAlerts(vaultId);
    expect(rows).toHaveLength(5);
    expect(rows.find((r) => r.jobId === '1')).toMatchObject({ occurrences: 2, latestJobId: '6' });
  });

  it('records who inactivated and when, once', async () => {
    const vaultId = uniqueVaultId();
    const { alertId } = await raise(failedJob(vaultId, 'x', { workloadType: 'AzureVM' }));
    const at = '2026-05-05T05:05:05.005Z';
    expect(await activities.markAlertInactive({ vaultId, alertId, by: 'alice', at })).toBe(true);
    expect(await activities.markAlertInactive({ vaultId, alertId, by: 'bob', at: new Date().toISOString() })).toBe(false);
    const [row] = await vaultAlerts(vaultId);
    expect(row).toMatchObject({ status: 'Inactive', inactivatedBy: 'alice', inactivatedAt: new Date(at) });
  });
});
