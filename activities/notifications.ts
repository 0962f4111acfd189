// The vault workflow's activities. The first two serve the current loop; the rest keep runs of
// the loop from before the delivery log working (workflows/legacy/): each now plans deliveries
// in the log and starts them, returning at once instead of sending in line.
import { createHash } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client';
import { alerts, notificationSettings, vaults } from '../db/schema';
import { recipientAddress } from '../domain/routing';
import { OPEN_ALERT_STATUSES } from '../domain/types';
import { closeDueDigestWindows } from '../notifications/digest';
import { dispatchDeliveries, type DispatchDeps } from '../notifications/dispatch';
import { insertDeliveries } from '../notifications/log';
import { planAlertEvent } from '../notifications/plan';
import { writeSettings } from '../notifications/settings';
import { parseWindowWakeToken } from '../notifications/tokens';
import { planWelcomes } from '../notifications/welcome';
import { DEFAULT_SETTINGS, findSettings } from '../readmodel/vaults';
import type { LegacyMessage } from '../workflows/digest-wakeups';
import type { NotificationSettings } from '../workflows/definitions';
import type { VaultSnapshot, WorkItem } from '../workflows/legacy/vault-state';

export interface NotificationDeps extends DispatchDeps {
  db: Database;
  digestIntervalMs: number;
}

export type SendResult = { sent: true; outboxId: string } | { sent: false; reason: string };
const planned = (ids: string[]): SendResult => (ids[0] ? { sent: true, outboxId: ids[0] } : { sent: false, reason: 'NothingToSend' });

export function createNotificationActivities(deps: NotificationDeps) {
  const { db } = deps;
  /** Plans in one transaction, then starts the deliveries; answers the window ends it woke. */
  async function planThenDispatch(plan: (tx: Parameters<Parameters<Database['transaction']>[0]>[0]) => Promise<string[]>): Promise<number[]> {
    const ids = await db.transaction(plan);
    const windows = ids.map(parseWindowWakeToken).filter((w) => w !== null).map((w) => w.windowEndMs);
    await dispatchDeliveries(deps, ids.filter((id) => !parseWindowWakeToken(id)));
    return windows;
  }
  const emailRows = (vaultId: string, alertId: string, targets: string[], scope: 'email' | 'destructive') =>
    [...new Map(targets.map((t) => [t.toLowerCase(), t])).values()].map((target) => ({
      vaultId, channel: 'email', target, event: 'alert.raised', alertId, alertIds: [alertId],
      dedupKey: `alert.raised:${alertId}:${scope}:${target.toLowerCase()}`,
      payload: { render: { kind: scope === 'destructive' ? 'destructive' : 'alert' } },
    }));

  async function inactivate(vaultId: string, alertId: string, by: string | null, at: string) {
    await planThenDispatch(async (tx) => {
      const changed = await tx.update(alerts)
        .set({ status: 'Inactive', inactivatedAt: new Date(at), inactivatedBy: by, resolution: 'Manual' })
        .where(and(eq(alerts.id, alertId), eq(alerts.vaultId, vaultId), inArray(alerts.status, [...OPEN_ALERT_STATUSES])))
        .returning({ id: alerts.id });
      return changed.length > 0 ? planAlertEvent(tx, { vaultId, alertId, event: 'alert.resolved', at: new Date(at) }) : [];
    });
  }

  const activities = {
    /** At a window's end: plan and start its digests. */
    async closeDueDigests({ vaultId }: { vaultId: string }): Promise<number> {
      const ids = await closeDueDigestWindows(db, vaultId, new Date());
      await dispatchDeliveries(deps, ids);
      return ids.length;
    },

    async handleLegacyVaultMessage({ vaultId, message }: { vaultId: string; message: LegacyMessage }): Promise<void> {
      if (message.kind === 'alertRaised') {
        if (!message.alert.isNew) return;
        const { alertId, raisedAt } = message.alert;
        const windows = await planThenDispatch((tx) => planAlertEvent(tx, { vaultId, alertId, event: 'alert.raised', at: new Date(raisedAt) }));
        if (windows.length > 0) await dispatchDeliveries(deps, windows.map((end) => `digest-window/${end}/${vaultId}`));
      } else if (message.kind === 'inactivate') {
        await inactivate(vaultId, message.signal.alertId, message.signal.by, message.signal.at);
      } else {
        const { settings, by, requestId } = message.signal;
        await planThenDispatch((tx) => writeSettings(tx, {
          vaultId, by, requestId, digestIntervalMs: deps.digestIntervalMs, settings: { ...DEFAULT_SETTINGS, ...settings },
        }));
      }
    },

    /** The queue and digest buckets of an old run go to the log; answers the window ends to wake for. */
    async adoptLegacyVaultState({ vaultId, state }: { vaultId: string; state: unknown }): Promise<number[]> {
      const snapshot = state as Partial<VaultSnapshot>;
      const ends: number[] = [];
      for (const item of snapshot.pending ?? []) ends.push(...(await adopt(vaultId, item)));
      for (const bucket of snapshot.buckets ?? []) {
        for (const alertId of bucket.alertIds) {
          ends.push(...(await planThenDispatch((tx) => planAlertEvent(tx, { vaultId, alertId, event: 'alert.raised', at: new Date(bucket.windowStartMs) }))));
        }
      }
      return [...new Set(ends)];
    },

    // ---- the old loop's activities ----------------------------------------------------------
    async loadSettings({ vaultId }: { vaultId: string }): Promise<NotificationSettings | null> {
      const found = await findSettings(db, vaultId);
      return found ? { enabled: found.settings.enabled, recipients: found.settings.recipients.map(recipientAddress), frequency: found.settings.frequency } : null;
    },

    async saveSettings(input: { vaultId: string; settings: NotificationSettings; by: string | null; requestId: string }) {
      const values = { ...input.settings, updatedBy: input.by, requestId: input.requestId, updatedAt: new Date(), digestIntervalMs: deps.digestIntervalMs };
      await db.insert(notificationSettings).values({ vaultId: input.vaultId, ...values })
        .onConflictDoUpdate({ target: notificationSettings.vaultId, set: values });
    },

    async sendWelcome(input: { vaultId: string; recipient: string; settings: NotificationSettings; requestId: string }): Promise<SendResult> {
      const after = { ...DEFAULT_SETTINGS, ...input.settings, enabled: true, recipients: [input.recipient] };
      return planned(await planThenDispatchIds((tx) => planWelcomes(tx, { vaultId: input.vaultId, before: null, after, requestId: input.requestId })));
    },

    async sendAlertEmail(input: { vaultId: string; alertId: string; recipients: string[] }): Promise<SendResult> {
      return planned(await planThenDispatchIds((tx) => insertDeliveries(tx, emailRows(input.vaultId, input.alertId, input.recipients, 'email'))));
    },

    async sendDestructiveNotice(input: { vaultId: string; alertId: string }): Promise<SendResult> {
      const [vault] = await db.select({ contacts: vaults.contacts }).from(vaults).where(eq(vaults.id, input.vaultId));
      const contacts = vault ? [...vault.contacts.owners, ...vault.contacts.admins, ...vault.contacts.coAdmins] : [];
      return planned(await planThenDispatchIds((tx) => insertDeliveries(tx, emailRows(input.vaultId, input.alertId, contacts, 'destructive'))));
    },

    async sendDigest(input: { vaultId: string; windowStartMs: number; windowEndMs: number; alertIds: string[]; recipients: string[] }): Promise<SendResult> {
      const open = input.alertIds.length === 0 ? [] : await db.select({ id: alerts.id }).from(alerts)
        .where(and(inArray(alerts.id, input.alertIds), inArray(alerts.status, [...OPEN_ALERT_STATUSES])));
      if (open.length === 0 || input.recipients.length === 0) return { sent: false, reason: 'NothingToSend' };
      const windowStart = new Date(input.windowStartMs).toISOString();
      const alertIds = open.map((a) => a.id).sort();
      const rows = input.recipients.map((target) => ({
        vaultId: input.vaultId, channel: 'email', target, event: 'digest', alertIds,
        dedupKey: `digest-legacy:${input.vaultId}:${windowStart}:${createHash('sha256').update(alertIds.join(',')).digest('hex')}:${target.toLowerCase()}`,
        payload: { render: { kind: 'digest', windowStart, windowEnd: new Date(input.windowEndMs).toISOString() } },
      }));
      return planned(await planThenDispatchIds((tx) => insertDeliveries(tx, rows)));
    },
  };

  async function planThenDispatchIds(plan: (tx: Parameters<Parameters<Database['transaction']>[0]>[0]) => Promise<string[]>): Promise<string[]> {
    const list = await db.transaction(plan);
    await dispatchDeliveries(deps, list);
    return list;
  }

  async function adopt(vaultId: string, item: WorkItem): Promise<number[]> {
    switch (item.kind) {
      case 'inactivate': await inactivate(vaultId, item.alertId, item.by, item.at); return [];
      case 'saveSettings':
        await activities.saveSettings({ vaultId, settings: item.settings, by: item.by, requestId: item.requestId });
        for (const recipient of item.welcome) await activities.sendWelcome({ vaultId, recipient, settings: item.settings, requestId: item.requestId });
        return [];
      case 'alertEmail': await activities.sendAlertEmail({ vaultId, alertId: item.alertId, recipients: item.recipients }); return [];
      case 'destructiveNotice': await activities.sendDestructiveNotice({ vaultId, alertId: item.alertId }); return [];
      case 'digest': {
        const windowStartMs = item.windowStartMs;
        const ends: number[] = [];
        for (const alertId of item.alertIds) {
          ends.push(...(await planThenDispatch((tx) => planAlertEvent(tx, { vaultId, alertId, event: 'alert.raised', at: new Date(windowStartMs) }))));
        }
        return ends;
      }
    }
  }
  return activities;
}
