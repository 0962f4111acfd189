import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertActivities } from '../../activities/alerts';
import { connectDb, type DbHandle } from '../../db/client';
import { alerts, vaults } from '../../db/schema';
import { alertHistoryOf } from '../../readmodel/alert-history';
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
    expect(row).toMatchObject({ status: 'Inactive', inactivatedBy: 'alice', inactivatedAt: new Date(at), resolution: 'Manual' });
  });
});

const at = (s: number) => new Date(Date.UTC(2026, 5, 1, 12, 0, s)).toISOString();
const historyOf = async (alertId: string) => (await alertHistoryOf(database.db, alertId)).map((h) => [h.action, h.jobId]);

describe('consolidation ordered by occurrence time (issue 14 item 4)', () => {
  it('latestJobId, lastOccurredAt and errorMessage follow the newest occurrence even when it arrives first', async () => {
    const vaultId = uniqueVaultId();
    await raise(failedJob(vaultId, 'j1', { endedAt: at(10), errorMessage: 'first' }));
    await raise(failedJob(vaultId, 'j3', { endedAt: at(30), errorMessage: 'newest' }));
    await raise(failedJob(vaultId, 'j2', { endedAt: at(20), errorMessage: 'late but older' }));
    const [row] = await vaultAlerts(vaultId);
    expect(row).toMatchObject({ occurrences: 3, jobId: 'j1', latestJobId: 'j3', errorMessage: 'newest', lastOccurredAt: new Date(at(30)), raisedAt: new Date(at(10)) });
    // History is by time: the late occurrence sits where it happened.
    expect(await historyOf(row!.id)).toEqual([['Raised', 'j1'], ['Occurred', 'j2'], ['Occurred', 'j3']]);
  });
});

describe('auto-resolve against Postgres (§2.4)', () => {
  const success = (vaultId: string, id: string, endedAt: string, over: Partial<Job> = {}) =>
    failedJob(vaultId, id, { status: 'Completed', errorCode: null, errorMessage: null, endedAt, ...over });
  const open = (rows: (typeof alerts.$inferSelect)[]) => rows.filter((r) => r.status !== 'Inactive');

  it('resolves the item’s open alerts of the scenarios the outcome clears, not those after it or of other items', async () => {
    const vaultId = uniqueVaultId();
    const { alertId: before } = await raise(failedJob(vaultId, 'f1', { endedAt: at(1), trigger: 'User' }));
    const { alertId: other } = await raise(failedJob(vaultId, 'f2', { endedAt: at(1), trigger: 'User', entityName: 'sql-01/db2' }));
    const { alertId: restore } = await raise(failedJob(vaultId, 'r1', { endedAt: at(1), trigger: 'User', operation: 'Restore' }));
    const { alertId: after } = await raise(failedJob(vaultId, 'f3', { endedAt: at(9), trigger: 'User' }));
    expect(await activities.resolveAlerts({ job: success(vaultId, 's1', at(5)) })).toEqual([before]);
    const rows = await vaultAlerts(vaultId);
    expect(rows.find((r) => r.id === before)).toMatchObject({
      status: 'Inactive', resolution: 'AutoResolved', inactivatedBy: 'system', resolvedByJobId: 's1', inactivatedAt: new Date(at(5)),
    });
    expect(open(rows).map((r) => r.id).sort()).toEqual([other, restore, after].sort());
    expect(await historyOf(before)).toEqual([['Raised', 'f1'], ['AutoResolved', 's1']]);
    expect(await activities.resolveAlerts({ job: success(vaultId, 's1', at(5)) })).toEqual([]);
  });

  it('resolves a BackupMissed raised by the watch after the success ended (the success was reported late)', async () => {
    const vaultId = uniqueVaultId();
    const [missed] = await database.db.insert(alerts).values({
      vaultId, scenario: 'BackupMissed', severity: 'Critical', status: 'Active', workloadType: 'AzureWorkload', entityName: 'sql-01/db1',
      jobId: 'last', latestJobId: 'last', errorCode: 'NoRecentBackup', consolidationKey: `missed-${vaultId}`, raisedAt: new Date(at(9)), lastOccurredAt: new Date(at(9)),
    }).returning();
    const { alertId: failure } = await raise(failedJob(vaultId, 'f9', { endedAt: at(9), trigger: 'User' }));
    expect(await activities.resolveAlerts({ job: success(vaultId, 's1', at(5)) })).toEqual([missed!.id]);
    expect(open(await vaultAlerts(vaultId)).map((r) => r.id)).toEqual([failure]);
  });

  it('does nothing when the vault turned autoResolve off', async () => {
    const vaultId = uniqueVaultId();
    await database.db.insert(vaults).values({ id: vaultId, contacts: { owners: [], admins: [], coAdmins: [] }, autoResolve: false });
    await raise(failedJob(vaultId, 'f1', { endedAt: at(1) }));
    expect(await activities.resolveAlerts({ job: success(vaultId, 's1', at(5)) })).toEqual([]);
    expect(open(await vaultAlerts(vaultId))).toHaveLength(1);
    // Nor is a late failure raised as resolved: the switch governs both.
    await raise(failedJob(vaultId, 'f0', { endedAt: at(0), errorCode: 'Other' }));
    expect(open(await vaultAlerts(vaultId))).toHaveLength(2);
  });

  it('raises a failure that ended before a success processed earlier as already resolved, notifying no one', async () => {
    const vaultId = uniqueVaultId();
    expect(await activities.resolveAlerts({ job: success(vaultId, 's1', at(5)) })).toEqual([]);
    const late = await raise(failedJob(vaultId, 'f1', { endedAt: at(1) }));
    expect(late).toMatchObject({ isNew: true, notify: false, resolved: true, deliveryIds: [] });
    const [row] = await vaultAlerts(vaultId);
    expect(row).toMatchObject({ status: 'Inactive', resolution: 'AutoResolved', resolvedByJobId: 's1', inactivatedBy: 'system', inactivatedAt: new Date(at(5)) });
    expect(await historyOf(row!.id)).toEqual([['Raised', 'f1'], ['AutoResolved', 's1']]);
    // A failure after the success opens a new alert as usual.
    const next = await raise(failedJob(vaultId, 'f2', { endedAt: at(9) }));
    expect(next).toMatchObject({ isNew: true, notify: true });
    expect(open(await vaultAlerts(vaultId)).map((r) => r.jobId)).toEqual(['f2']);
  });

  it('a success and a failure of one item arriving together never leave a stale open alert or two open per key', async () => {
    for (let round = 0; round < 15; round++) {
      const vaultId = uniqueVaultId();
      // Consolidating failures at t=1..4 and a success at t=5, all at once in shuffled order.
      const work = [
        () => activities.resolveAlerts({ job: success(vaultId, 's', at(5)) }),
        ...[1, 2, 3, 4].map((s) => () => raise(failedJob(vaultId, `f${s}`, { endedAt: at(s) }))),
      ].sort(() => Math.random() - 0.5);
      await Promise.all(work.map((run) => run()));
      const rows = await vaultAlerts(vaultId);
      expect(open(rows), `round ${round}`).toEqual([]);
      expect(rows.every((r) => r.resolvedByJobId === 's')).toBe(true);
      // And a failure after the success, racing another success before it, stays open alone.
      await Promise.all([
        raise(failedJob(vaultId, 'f9', { endedAt: at(9) })),
        activities.resolveAlerts({ job: success(vaultId, 's2', at(7)) }),
        raise(failedJob(vaultId, 'f8', { endedAt: at(8) })),
      ]);
      const after = open(await vaultAlerts(vaultId));
      expect(after).toHaveLength(1);
      expect(after[0]).toMatchObject({ latestJobId: 'f9', occurrences: 2 });
    }
  });
});
