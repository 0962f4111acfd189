// What was delivered, as the checker sees it: the emails the fake Resend accepted, joined to the
// delivery log by idempotency key (= delivery id). The checks stay as they were: expected set ==
// delivered set, each exactly once.
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

/**
 * The delivery log (one row per message per address) read as the checker's notifications: the
 * per-address rows of one logical notification (same dedup key but for the address) are grouped
 * back, so the checks stay "expected set == delivered set, each exactly once" per address.
 */
export function deliveryLog(sql: postgres.Sql, deliveries: Delivery[], vaultIds: string[]): NotificationLog {
  return {
    name: 'delivery log + fake Resend',
    async read() {
      const rows = await sql<{ id: string; dedup_key: string; event: string; vault_id: string; alert_ids: string[]; status: string; target: string }[]>`
        select id, dedup_key, event, vault_id, alert_ids, status, target from deliveries where vault_id = any(${vaultIds}) and channel = 'email'`;
      const ids = new Set(rows.map((r) => r.id));
      const received = new Map<string, number>();
      let unmatched = 0;
      for (const delivery of deliveries) {
        if (!delivery.idempotencyKey || !ids.has(delivery.idempotencyKey)) {
          if (vaultIds.some((v) => delivery.text?.includes(v) || delivery.html?.includes(v))) unmatched++;
          continue;
        }
        received.set(delivery.idempotencyKey, (received.get(delivery.idempotencyKey) ?? 0) + 1);
      }
      const kindOf = (row: (typeof rows)[number]) =>
        row.event === 'alert.raised' ? (row.dedup_key.includes(':destructive:') ? 'destructive' : 'alert') : row.event;
      const groups = new Map<string, { rows: (typeof rows)[number][] }>();
      for (const row of rows) {
        const group = row.event === 'welcome' ? row.id : row.dedup_key.slice(0, row.dedup_key.lastIndexOf(':'));
        groups.set(group, { rows: [...(groups.get(group)?.rows ?? []), row] });
      }
      return {
        unmatched,
        pending: rows.filter((row) => row.status !== 'Delivered').length,
        notifications: [...groups.values()].map(({ rows: members }) => {
          const counts = members.map((m) => received.get(m.id) ?? 0);
          const first = members[0]!;
          return {
            channel: 'email' as const, kind: kindOf(first), vaultId: first.vault_id,
            // A digest lists per address what meets its floor; the fault suite uses no floors.
            alertIds: [...first.alert_ids].sort(), targets: members.map((m) => m.target).sort(),
            received: counts.every((c) => c === 1) ? 1 : counts.some((c) => c === 0) ? 0 : Math.max(...counts),
          };
        }),
      };
    },
  };
}
