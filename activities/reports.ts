// The periodic report (§2.8): plans one email delivery per subscribed recipient when a period ends,
// idempotently (a retried activity or a second run plans nothing twice), then dispatches them
// through the channel layer, which sends rows of this shape like every other delivery.
import type { Client } from '@temporalio/client';
import { eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client';
import { deliveries, notificationSettings, vaults } from '../db/schema';
import type { RecipientSetting } from '../domain/model';
import { lastEndedPeriod, reportPeriodAt } from '../domain/report-period';
import { renderEmail } from '../emails/render';
import { dispatchDeliveries } from '../notifications/dispatch';
import { vaultReport } from '../readmodel/report';
import type { SendReportInput, SendReportResult } from '../workflows/report-definitions';

export interface ReportActivityDeps {
  db: Database;
  client: Client;
  taskQueue: string;
  publicUrl: string;
  /** REPORT_INTERVAL: the worker's value is the one periods follow. */
  reportIntervalMs: number;
}

const addressOf = (recipient: RecipientSetting) => (typeof recipient === 'string' ? recipient : recipient.address);

export const reportDedupKey = (vaultId: string, periodStart: Date, address: string) =>
  `report:${vaultId}:${periodStart.toISOString()}:${address.toLowerCase()}`;

export function createReportActivities(deps: ReportActivityDeps) {
  return {
    /** The end of the period containing `at`: when a new run's first report is due. */
    async nextReportDue({ at }: { at: string }): Promise<string> {
      return reportPeriodAt(new Date(at), deps.reportIntervalMs).end.toISOString();
    },

    async sendPeriodReport({ vaultId, due }: SendReportInput): Promise<SendReportResult> {
      const period = lastEndedPeriod(new Date(due), deps.reportIntervalMs);
      const nextDue = reportPeriodAt(new Date(due), deps.reportIntervalMs).end.toISOString();
      const [settings] = await deps.db.select().from(notificationSettings).where(eq(notificationSettings.vaultId, vaultId));
      const [vault] = await deps.db.select().from(vaults).where(eq(vaults.id, vaultId));
      if (!vault || !settings?.weeklyReport || !settings.enabled) return { subscribed: false, planned: 0, nextDue };
      // Floors do not apply: a report is not an alert, and every recipient asked for it. One address
      // saved twice in different case is one recipient.
      const byKey = new Map<string, string>();
      for (const address of settings.recipients.map(addressOf)) if (!byKey.has(address.toLowerCase())) byKey.set(address.toLowerCase(), address);
      const addresses = [...byKey.values()];
      if (addresses.length === 0) return { subscribed: true, planned: 0, nextDue };

      const report = await vaultReport(deps.db, vaultId, period.start, period.end);
      const email = await renderEmail('report', { vault: { id: vault.id, name: vault.name }, report }, { publicUrl: deps.publicUrl });
      const rows = addresses.map((address) => ({
        dedupKey: reportDedupKey(vaultId, period.start, address), vaultId, channel: 'email', target: address, event: 'report',
        payload: { subject: email.subject, html: email.html, text: email.text },
      }));
      const inserted = await deps.db.insert(deliveries).values(rows).onConflictDoNothing({ target: deliveries.dedupKey }).returning({ id: deliveries.id });
      // Dispatch every Pending row of this period, not only the new ones: an earlier attempt may
      // have planned them and crashed before dispatching (dispatching twice is harmless).
      const pending = await deps.db.select({ id: deliveries.id, status: deliveries.status }).from(deliveries)
        .where(inArray(deliveries.dedupKey, rows.map((row) => row.dedupKey)));
      const ids = pending.filter((row) => row.status === 'Pending').map((row) => row.id);
      if (ids.length > 0) await dispatchDeliveries({ client: deps.client, taskQueue: deps.taskQueue }, ids);
      return { subscribed: true, planned: inserted.length, nextDue };
    },
  };
}

export type ReportActivities = ReturnType<typeof createReportActivities>;
