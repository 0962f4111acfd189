import { ApplicationFailure } from '@temporalio/common';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client';
import { alerts, notificationSettings, vaults } from '../db/schema';
import { digestContents } from '../domain/digest';
import { renderEmail } from '../emails/render';
import type { AlertData, DestructiveNoticeEmailProps, EmailKind, EmailPropsByKind } from '../emails/types';
import { alertFromRow } from '../readmodel/alerts';
import { findSettings } from '../readmodel/vaults';
import type { NotificationSettings } from '../workflows/definitions';
import { EMAIL_REJECTED, idempotencyKeyFor, type EmailOutbox } from './email-outbox';
import { noMetrics, type ActivityMetrics } from './metrics';

export interface NotificationDeps {
  db: Database;
  outbox: EmailOutbox;
  publicUrl: string;
  digestIntervalMs: number;
  metrics?: ActivityMetrics;
}

export type SendResult = { sent: true; outboxId: string } | { sent: false; reason: string };

export function createNotificationActivities({ db, outbox, publicUrl, digestIntervalMs, metrics = noMetrics }: NotificationDeps) {
  async function vaultRef(vaultId: string) {
    const [vault] = await db.select().from(vaults).where(eq(vaults.id, vaultId));
    return vault ?? null;
  }

  async function loadAlerts(vaultId: string, alertIds: string[]): Promise<AlertData[]> {
    if (alertIds.length === 0) return [];
    const rows = await db.select().from(alerts).where(and(eq(alerts.vaultId, vaultId), inArray(alerts.id, alertIds)));
    return rows.map((row) => alertFromRow(row) as AlertData);
  }

  async function send<K extends EmailKind>(kind: K, props: EmailPropsByKind[K], meta: {
    vaultId: string; recipients: string[]; alertIds: string[]; key: string;
  }): Promise<SendResult> {
    const email = await renderEmail(kind, props, { publicUrl });
    const result = await outbox.deliver({ kind, ...meta, idempotencyKey: meta.key, ...email }).catch((error: unknown) => {
      metrics.email({ kind, outcome: (error as { type?: string }).type === EMAIL_REJECTED ? 'rejected' : 'error' });
      throw error;
    });
    metrics.email({ kind, outcome: result.alreadySent ? 'already_sent' : 'sent' });
    return { sent: true, outboxId: result.outboxId };
  }

  function skip(kind: EmailKind, reason: string): SendResult {
    metrics.email({ kind, outcome: 'skipped' });
    return { sent: false, reason };
  }

  return {
    async loadSettings({ vaultId }: { vaultId: string }): Promise<NotificationSettings | null> {
      return (await findSettings(db, vaultId))?.settings ?? null;
    },

    async saveSettings(input: { vaultId: string; settings: NotificationSettings; by: string | null; requestId: string }) {
      const values = { ...input.settings, updatedBy: input.by, requestId: input.requestId, updatedAt: new Date() };
      await db.insert(notificationSettings).values({ vaultId: input.vaultId, ...values })
        .onConflictDoUpdate({ target: notificationSettings.vaultId, set: values });
    },

    async sendWelcome(input: { vaultId: string; recipient: string; settings: NotificationSettings; requestId: string }): Promise<SendResult> {
      const vault = await vaultRef(input.vaultId);
      const props = { vault: { id: input.vaultId, name: vault?.name }, recipient: input.recipient, frequency: input.settings.frequency, digestIntervalMs };
      const key = idempotencyKeyFor({ kind: 'welcome', vaultId: input.vaultId, recipients: [input.recipient], scope: input.requestId });
      return send('welcome', props, { vaultId: input.vaultId, recipients: [input.recipient], alertIds: [], key });
    },

    async sendAlertEmail(input: { vaultId: string; alertId: string; recipients: string[] }): Promise<SendResult> {
      const [alert] = await loadAlerts(input.vaultId, [input.alertId]);
      if (!alert) throw ApplicationFailure.nonRetryable(`alert ${input.alertId} does not exist`, 'AlertMissing');
      const vault = await vaultRef(input.vaultId);
      const key = idempotencyKeyFor({ kind: 'alert', vaultId: input.vaultId, alertIds: [alert.id], recipients: input.recipients });
      return send('alert', { vault: { id: input.vaultId, name: vault?.name }, alert }, {
        vaultId: input.vaultId, recipients: input.recipients, alertIds: [alert.id], key,
      });
    },

    /** Destructive operations reach the subscription's owners, admins and co-admins, settings or not. */
    async sendDestructiveNotice(input: { vaultId: string; alertId: string }): Promise<SendResult> {
      const vault = await vaultRef(input.vaultId);
      const contacts = vault ? [...vault.contacts.owners, ...vault.contacts.admins, ...vault.contacts.coAdmins] : [];
      const recipients = contacts.filter((c, i) => contacts.findIndex((o) => o.toLowerCase() === c.toLowerCase()) === i);
      if (recipients.length === 0) return skip('destructive', 'NoSubscriptionContacts');
      const [alert] = await loadAlerts(input.vaultId, [input.alertId]);
      if (!alert) throw ApplicationFailure.nonRetryable(`alert ${input.alertId} does not exist`, 'AlertMissing');
      const props = { vault: { id: input.vaultId, name: vault?.name, subscriptionId: vault?.subscriptionId }, alert } as DestructiveNoticeEmailProps;
      const key = idempotencyKeyFor({ kind: 'destructive', vaultId: input.vaultId, alertIds: [alert.id], recipients });
      return send('destructive', props, { vaultId: input.vaultId, recipients, alertIds: [alert.id], key });
    },

    /** Re-checks at sending time which alerts of the window are still Active. */
    async sendDigest(input: { vaultId: string; windowStartMs: number; windowEndMs: number; alertIds: string[]; recipients: string[] }): Promise<SendResult> {
      if (input.recipients.length === 0) return skip('digest', 'NoRecipients');
      const loaded = await loadAlerts(input.vaultId, input.alertIds);
      const contents = digestContents({
        windowStartMs: input.windowStartMs, windowEndMs: input.windowEndMs,
        alerts: loaded.map((a) => ({ ...a, alertId: a.id })),
      });
      if (!contents.send) return skip('digest', contents.reason);
      const vault = await vaultRef(input.vaultId);
      const windowStart = new Date(input.windowStartMs).toISOString();
      const ids = contents.alerts.map((a) => a.id);
      // The alert ids are part of the key: an alert that reaches a window after its digest left
      // goes out in a second digest rather than being swallowed as a duplicate.
      const key = idempotencyKeyFor({ kind: 'digest', vaultId: input.vaultId, windowStart, alertIds: input.alertIds, recipients: input.recipients });
      return send('digest', {
        vault: { id: input.vaultId, name: vault?.name }, windowStart, windowEnd: new Date(input.windowEndMs).toISOString(), alerts: contents.alerts,
      }, { vaultId: input.vaultId, recipients: input.recipients, alertIds: ids, key });
    },
  };
}
