// The watch plans a batch of BackupMissed alerts with planAlertsRaised (one routing read, one insert);
// every other raise plans one alert with planAlertEvent. Both must write the same deliveries.
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDb, type DbHandle } from '../../db/client';
import { alerts, deliveries, notificationSettings, silences, vaults, webhooks } from '../../db/schema';
import { planAlertEvent, planAlertsRaised } from '../../notifications/plan';
import { findSuppressingSilence, findSuppressingSilences } from '../../readmodel/silences';
import { testEnv } from '../support/env';
import { uniqueVaultId } from '../support/stack';

let database: DbHandle;
beforeAll(() => { database = connectDb(testEnv().databaseUrl, { max: 4 }); });
afterAll(() => database?.close());

async function vaultWithRouting(frequency: 'PerAlert' | 'HourlyDigest') {
  const vaultId = uniqueVaultId();
  const db = database.db;
  await db.insert(vaults).values({ id: vaultId, contacts: { owners: ['owner@example.com'], admins: [], coAdmins: [] } });
  await db.insert(notificationSettings).values({
    vaultId, enabled: true, frequency, digestIntervalMs: 3_600_000,
    recipients: ['ops@example.com', { address: 'lead@example.com', minSeverity: 'Critical' }, { address: 'quiet@example.com', minSeverity: 'Warning' }],
  });
  await db.insert(webhooks).values([
    { vaultId, url: 'https://hooks.example.com/all', events: ['alert.raised', 'alert.resolved'], secret: 'whsec_x', createdBy: 'test' },
    { vaultId, url: 'https://hooks.example.com/resolved', events: ['alert.resolved'], secret: 'whsec_y', createdBy: 'test' },
    { vaultId, url: 'https://hooks.example.com/slack', format: 'slack', events: ['alert.raised'], minSeverity: 'Critical', secret: 'whsec_z', createdBy: 'test' },
  ]);
  return vaultId;
}

async function insertAlerts(vaultId: string, names: string[], severity: string, scenario = 'BackupMissed') {
  const now = new Date('2026-12-05T10:00:00Z');
  return database.db.insert(alerts).values(names.map((entityName) => ({
    vaultId, scenario, severity, status: 'Active', workloadType: 'AzureVM', entityName, jobId: `job-${entityName}`,
    latestJobId: `job-${entityName}`, raisedAt: now, lastOccurredAt: now, consolidationKey: `${vaultId}/${entityName}/${scenario}`,
  }))).returning({ id: alerts.id, entityName: alerts.entityName });
}

// A delivery row as routing decides it, without what names the alert.
const shape = (row: typeof deliveries.$inferSelect) =>
  `${row.channel} ${row.target} ${row.event} ${row.webhookId ?? '-'} ${JSON.stringify(row.payload)} ${row.dedupKey.replace(row.alertId!, 'A')}`;

describe('planAlertsRaised', () => {
  for (const [frequency, severity] of [['PerAlert', 'Critical'], ['PerAlert', 'Warning'], ['HourlyDigest', 'Critical']] as const) {
    it(`writes what planAlertEvent writes, alert by alert (${frequency}, ${severity})`, async () => {
      const vaultId = await vaultWithRouting(frequency);
      const at = new Date('2026-12-05T10:00:00Z');
      const batch = await insertAlerts(vaultId, ['vm-a', 'vm-b', 'vm-c'], severity);
      const single = await insertAlerts(vaultId, ['vm-x', 'vm-y', 'vm-z'], severity);
      const batchIds = await database.db.transaction((tx) => planAlertsRaised(tx, vaultId, batch.map((a) => a.id), at));
      const singleIds: string[] = [];
      for (const alert of single) {
        singleIds.push(...await database.db.transaction((tx) => planAlertEvent(tx, { vaultId, alertId: alert.id, event: 'alert.raised', at })));
      }
      const rowsOf = async (ids: string[]) => (await database.db.select().from(deliveries).where(inArray(deliveries.alertId, ids))).map(shape).sort();
      const batchRows = await rowsOf(batch.map((a) => a.id));
      expect(batchRows.length).toBeGreaterThan(0);
      expect(batchRows).toEqual(await rowsOf(single.map((a) => a.id)));
      // Deliveries, and for a digest vault the window's one wake-up token (the same for both).
      expect(batchIds.filter((id) => id.startsWith('digest-window/'))).toEqual(frequency === 'HourlyDigest' ? [expect.any(String)] : []);
      expect(batchIds.length - (frequency === 'HourlyDigest' ? 1 : 0)).toBe(batchRows.length);

      // Idempotent: planning the batch again writes nothing and answers the same deliveries.
      const again = await database.db.transaction((tx) => planAlertsRaised(tx, vaultId, batch.map((a) => a.id), at));
      expect(again.filter((id) => !id.startsWith('digest-window/')).sort()).toEqual(batchIds.filter((id) => !id.startsWith('digest-window/')).sort());
      expect(await rowsOf(batch.map((a) => a.id))).toEqual(batchRows);
    });
  }

  it('findSuppressingSilences answers, alert by alert, what findSuppressingSilence answers', async () => {
    const vaultId = await vaultWithRouting('PerAlert');
    const at = new Date();
    const [silence] = await database.db.insert(silences).values({
      vaultId, match: { entityName: 'vm-quiet' }, comment: 'patching', startsAt: new Date(at.getTime() - 60_000),
      endsAt: new Date(at.getTime() + 3_600_000), createdBy: 'test',
    }).returning({ id: silences.id });
    const candidates = ['vm-quiet', 'vm-loud'].map((entityName) => ({ entityName, workloadType: 'AzureVM' as const, scenario: 'BackupMissed' as const, severity: 'Critical' as const }));
    const one = await Promise.all(candidates.map((c) => findSuppressingSilence(database.db, vaultId, c, at)));
    expect(one).toEqual([silence!.id, null]);
    expect(await findSuppressingSilences(database.db, vaultId, candidates, at)).toEqual(one);
    await database.db.delete(silences).where(eq(silences.vaultId, vaultId));
  });
});
