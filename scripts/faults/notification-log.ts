// What was delivered, as the checker sees it. Today: the emails the fake Resend accepted, joined
// to the email outbox by idempotency key (kind, vault, alerts). Once the channels work lands, a
// `deliveryLog` source reads the `deliveries` table (channel, target, event, alert, status) the
// same way and the checks below stay as they are: expected set == delivered set, each exactly once.
import type postgres from 'postgres';
import type { Delivery } from '../../tests/support/fake-resend';

export interface Notification {
  channel: 'email' | 'webhook';
  kind: string;
  vaultId: string;
  alertIds: string[];
  targets: string[];
  /** Times the endpoint received this notification (1 when delivered exactly once). */
  received: number;
}

export interface NotificationLog {
  name: string;
  read(): Promise<{ notifications: Notification[]; unmatched: number; pending: number }>;
}

export function emailOutboxLog(sql: postgres.Sql, deliveries: Delivery[], vaultIds: string[]): NotificationLog {
  return {
    name: 'email outbox + fake Resend',
    async read() {
      const rows = await sql<{ idempotency_key: string; kind: string; vault_id: string; alert_ids: string[]; status: string; recipients: string[] }[]>`
        select idempotency_key, kind, vault_id, alert_ids, status, recipients from email_outbox where vault_id = any(${vaultIds})`;
      const byKey = new Map(rows.map((row) => [row.idempotency_key, row]));
      const received = new Map<string, number>();
      let unmatched = 0;
      for (const delivery of deliveries) {
        if (!delivery.idempotencyKey || !byKey.has(delivery.idempotencyKey)) {
          if (vaultIds.some((v) => delivery.text?.includes(v) || delivery.html?.includes(v))) unmatched++;
          continue;
        }
        received.set(delivery.idempotencyKey, (received.get(delivery.idempotencyKey) ?? 0) + 1);
      }
      return {
        unmatched,
        pending: rows.filter((row) => row.status !== 'Sent').length,
        notifications: rows.map((row) => ({
          channel: 'email' as const, kind: row.kind, vaultId: row.vault_id, alertIds: [...row.alert_ids].sort(),
          targets: [...row.recipients].sort(), received: received.get(row.idempotency_key) ?? 0,
        })),
      };
    },
  };
}
