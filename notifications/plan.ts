// The write side of routing (§2.6): turns an alert event into delivery rows, inside the caller's
// transaction, so a state change and the notifications it owes commit together. The pure routing
// decision lives in domain/; this module loads what it needs and writes the delivery log.
import type { DbOrTx } from '../db/client';

export type AlertEventType = 'alert.raised' | 'alert.acknowledged' | 'alert.resolved';

export interface AlertEventInput {
  vaultId: string;
  alertId: string;
  event: AlertEventType;
  /**
   * When the event happened. For `alert.raised` on an HourlyDigest vault the alert joins the digest
   * window of this instant (its raisedAt normally; the silence's end when a silence releases it).
   */
  at: Date;
}

/**
 * Plans the deliveries an alert event owes (email recipients by floor and frequency, webhooks by
 * event and floor, the destructive notice to subscription contacts) and inserts them as Pending
 * rows, idempotently (a retried caller plans nothing twice). A suppressed alert plans nothing
 * but its destructive notice. Returns the ids of the deliveries to dispatch after the commit.
 */
export async function planAlertEvent(_db: DbOrTx, _input: AlertEventInput): Promise<string[]> {
  return []; // implemented by the channels work (issue 10)
}
