// §2.7 "alerts resolved during the window are never notified", under a race the fault suite found:
// a release that read an alert as open and suppressed, then an auto-resolution that committed
// before the release wrote it. The release must not clear the flag of the now Inactive alert nor
// plan an `alert.raised` for it (it used to: a raised webhook for a resolved alert, and no
// resolved one ever, since the resolution had seen the alert as suppressed).
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertActivities } from '../../activities/alerts';
import { createSilenceActivities } from '../../activities/silences';
import { connectDb, type DbHandle } from '../../db/client';
import { alerts, deliveries, silences, webhooks } from '../../db/schema';
import { evaluateAlert } from '../../domain/alert-rules';
import type { Job } from '../../domain/types';
import { testEnv } from '../support/env';
import { uniqueVaultId } from '../support/stack';

let database: DbHandle;
let other: postgres.Sql;
beforeAll(() => {
  database = connectDb(testEnv().databaseUrl, { max: 5 });
  other = postgres(testEnv().databaseUrl, { max: 2, onnotice: () => {} });
});
afterAll(async () => {
  await database?.close();
  await other?.end({ timeout: 2 });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('releasing a silence while one of its alerts is being resolved', () => {
  it('leaves an alert resolved meanwhile suppressed and unnotified', async () => {
    const { db } = database;
    const vaultId = uniqueVaultId('race');
    const [silence] = await db.insert(silences).values({
      vaultId, match: {}, comment: 'race', startsAt: new Date(Date.now() - 60_000), endsAt: new Date(Date.now() + 3_600_000), createdBy: 'test',
    }).returning();
    await db.insert(webhooks).values({ vaultId, url: 'http://127.0.0.1:9/hook', events: ['alert.raised', 'alert.resolved'], secret: 'whsec_dGVzdA==', createdBy: 'test' });
    const now = new Date().toISOString();
    const job: Job = {
      id: 'failed-1', vaultId, workloadType: 'AzureVM', operation: 'Backup', trigger: 'Scheduled', entityName: 'vm-1',
      status: 'Failed', startedAt: now, endedAt: now, durationMs: 0, errorCode: 'UserErrorDiskFull', errorMessage: null, warnings: [],
    };
    const decision = evaluateAlert(job);
    if (!decision.raise) throw new Error('expected an alert');
    const raised = await createAlertActivities({ db }).raiseAlert({ job, decision });
    expect(raised.suppressed).toBe(true);
    // The silence is deleted; its release runs while a resolution holds the alert's row.
    await db.update(silences).set({ deletedAt: new Date() }).where(eq(silences.id, silence!.id));

    let commit!: () => void;
    let locked!: () => void;
    const held = new Promise<void>((resolve) => { commit = resolve; });
    const rowLocked = new Promise<void>((resolve) => { locked = resolve; });
    const resolution = other.begin(async (tx) => {
      await tx`update alerts set status = 'Inactive', resolution = 'AutoResolved', inactivated_by = 'system', inactivated_at = now() where id = ${raised.alertId}`;
      locked();
      await held;
    });
    await rowLocked;
    const release = createSilenceActivities({ db }).releaseSilence({ silenceId: silence!.id, at: new Date().toISOString() });
    // Commit only once the release has read the alert as open and waits for its row.
    for (let i = 0; ; i++) {
      const [row] = await other<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`;
      if (row!.n > 0) break;
      if (i > 200) throw new Error(`the release never waited for the alert row: ${JSON.stringify(await other`select wait_event_type, state, query from pg_stat_activity where datname = current_database()`)}`);
      await sleep(25);
    }
    commit();
    await resolution;
    const result = await release;

    expect(result.released).toEqual([]);
    const [alert] = await db.select().from(alerts).where(eq(alerts.id, raised.alertId));
    expect(alert).toMatchObject({ status: 'Inactive', suppressed: true });
    expect(await db.select().from(deliveries).where(eq(deliveries.alertId, raised.alertId))).toEqual([]);
  });
});
