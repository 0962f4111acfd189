// backupJob's one local activity for a success (patch finish-and-resolve): the terminal state, the
// item and the auto-resolve in one transaction, against Postgres, alone and racing failures.
import type { Client } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertActivities } from '../../activities/alerts';
import { createFinishAndResolve } from '../../activities/finish-and-resolve';
import { createJobActivities } from '../../activities/jobs';
import { connectDb, type DbHandle } from '../../db/client';
import { alerts, items, jobs } from '../../db/schema';
import { evaluateAlert } from '../../domain/alert-rules';
import type { Job } from '../../domain/types';
import { alertHistoryOf } from '../../readmodel/alert-history';
import { testEnv } from '../support/env';
import { uniqueVaultId } from '../support/stack';

// These vaults have no backup policy, so no watch is ever woken: a client call would be a bug here.
const noClient = new Proxy({}, { get: () => { throw new Error('no watch to wake in these vaults'); } }) as Client;

let database: DbHandle;
let finish: ReturnType<typeof createFinishAndResolve>;
let raising: ReturnType<typeof createAlertActivities>;
let recording: ReturnType<typeof createJobActivities>;
beforeAll(() => {
  database = connectDb(testEnv().databaseUrl, { max: 20 });
  const deps = { db: database.db, client: noClient, taskQueue: 'unused' };
  finish = createFinishAndResolve(deps);
  raising = createAlertActivities(deps);
  recording = createJobActivities(deps);
});
afterAll(() => database?.close());

const at = (s: number) => new Date(Date.UTC(2026, 5, 1, 12, 0, s)).toISOString();
const job = (vaultId: string, id: string, endedAt: string, over: Partial<Job> = {}): Job => ({
  id, vaultId, workloadType: 'AzureVM', operation: 'Backup', trigger: 'Scheduled', entityName: 'vm-01',
  status: 'Completed', startedAt: at(0), endedAt, durationMs: Date.parse(endedAt) - Date.parse(at(0)),
  errorCode: null, errorMessage: null, warnings: [], ...over,
});
const failure = (vaultId: string, id: string, endedAt: string) => job(vaultId, id, endedAt, { status: 'Failed', errorCode: 'VmAgentDown', errorMessage: 'agent down' });

/** As backupJob does for a failure: the terminal state, then the raise. */
async function failAndRaise(failed: Job) {
  await recording.recordJobFinished({ job: failed });
  const decision = evaluateAlert(failed);
  if (!decision.raise) throw new Error('expected an alert');
  return raising.raiseAlert({ job: failed, decision });
}

const openAlerts = async (vaultId: string) =>
  (await database.db.select().from(alerts).where(eq(alerts.vaultId, vaultId))).filter((a) => a.status !== 'Inactive');

describe('recordJobFinishedAndResolve against Postgres', () => {
  it('writes the terminal job and its item and resolves the item’s failure, once', async () => {
    const vaultId = uniqueVaultId();
    const { alertId } = await failAndRaise(failure(vaultId, 'f1', at(1)));
    const success = job(vaultId, 's1', at(5));
    await recording.recordJobStarted({ job: { ...success, status: 'InProgress', endedAt: null, durationMs: null } });

    expect(await finish.recordJobFinishedAndResolve({ job: success })).toEqual([alertId]);
    const [row] = await database.db.select().from(jobs).where(and(eq(jobs.vaultId, vaultId), eq(jobs.id, 's1')));
    expect(row).toMatchObject({ status: 'Completed', endedAt: new Date(at(5)), durationMs: 5_000 });
    const [item] = await database.db.select().from(items).where(eq(items.vaultId, vaultId));
    expect(item).toMatchObject({ lastBackupJobId: 's1', lastBackupStatus: 'Completed', lastSuccessfulBackupAt: new Date(at(5)) });
    expect(await openAlerts(vaultId)).toEqual([]);
    expect((await alertHistoryOf(database.db, alertId)).map((h) => [h.action, h.jobId])).toEqual([['Raised', 'f1'], ['AutoResolved', 's1']]);

    // A retry (the marker lost to a crash) finds the job terminal and nothing left to resolve.
    expect(await finish.recordJobFinishedAndResolve({ job: { ...success, endedAt: at(7), durationMs: 7_000 } })).toEqual([]);
    const [again] = await database.db.select().from(jobs).where(and(eq(jobs.vaultId, vaultId), eq(jobs.id, 's1')));
    expect(again!.endedAt).toEqual(new Date(at(5)));
  });

  it('races failures of the same item without a deadlock or a stale open alert', async () => {
    for (let round = 0; round < 10; round++) {
      const vaultId = uniqueVaultId();
      // Failures ending at t=1..4 and a success at t=5 of one item, all at once in shuffled order:
      // each takes the item's lock and its row, the success in one transaction.
      const work = [
        () => finish.recordJobFinishedAndResolve({ job: job(vaultId, 's', at(5)) }),
        ...[1, 2, 3, 4].map((s) => () => failAndRaise(failure(vaultId, `f${s}`, at(s)))),
      ].sort(() => Math.random() - 0.5);
      await Promise.all(work.map((run) => run()));
      expect(await openAlerts(vaultId), `round ${round}`).toEqual([]);
      const [item] = await database.db.select().from(items).where(eq(items.vaultId, vaultId));
      expect(item).toMatchObject({ lastBackupJobId: 's', lastSuccessfulBackupAt: new Date(at(5)) });
    }
  });
});
